// Push mode: a host that decodes by itself hands us metadata, audio and frames.
// Only the families that are built consume what is pushed; today that is metadata. Audio and
// frames are validated (so a host learns of a bad view at once) and counted.
#include <algorithm>
#include <cmath>

#include "meta/meta_detector.h"
#include "meta/rules.h"
#include "scan/families.h"
#include "scan/registry.h"
#include "wm/scan.h"

namespace wm {

struct Session::State {
  StreamInfo info;
  ScanOptions options;
  std::set<std::string> families;
  std::vector<meta::MetaField> fields;
  std::uint64_t audio_frames = 0;
  std::uint64_t video_frames = 0;
  scan::StreamDetectors detectors;
  bool audio_started = false;
  bool video_started = false;
  std::vector<std::uint8_t> gray_scratch;
  bool finished = false;
};

Session::Session(std::unique_ptr<State> state) : state_(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result<Session> Session::create(const StreamInfo& info, const ScanOptions& options) {
  WM_ASSIGN_OR_RETURN(std::set<std::string> families, scan::resolve_detectors(options));
  WM_RETURN_IF_ERROR(scan::meta_parameters(options).status());
  if (info.has_audio && (info.sample_rate_hz <= 0 || info.channels <= 0 || info.channels > 64)) {
    return Status::invalid_argument("session '" + info.name + "': audio needs sample_rate_hz > 0 and 1..64 channels");
  }
  if (info.has_video && (info.width <= 0 || info.height <= 0 || info.width > 16384 || info.height > 16384)) {
    return Status::invalid_argument("session '" + info.name + "': video needs 1..16384 x 1..16384 pixels");
  }
  auto state = std::make_unique<State>();
  WM_ASSIGN_OR_RETURN(state->detectors, scan::make_stream_detectors(families, options));
  if (!info.has_audio) state->detectors.audio.clear();
  if (!info.has_video) state->detectors.video.clear();
  state->info = info;
  state->options = options;
  state->families = std::move(families);
  return Session(std::move(state));
}

Status Session::feed_audio(const AudioView& audio) {
  if (!state_ || state_->finished) return Status::invalid_argument("feed_audio after finish");
  if (!state_->info.has_audio) return Status::invalid_argument("session '" + state_->info.name + "' was created without audio");
  if (audio.channels != state_->info.channels) {
    return Status::invalid_argument("feed_audio: " + std::to_string(audio.channels) + " channels, session has " +
                                    std::to_string(state_->info.channels));
  }
  if (audio.frames > 0 && audio.data == nullptr) return Status::invalid_argument("feed_audio: null data");
  if (!std::isfinite(audio.pts_s)) return Status::invalid_argument("feed_audio: pts_s is not finite");
  if (!state_->audio_started) {
    state_->audio_started = true;
    const core::AudioStreamFormat format{state_->info.sample_rate_hz, state_->info.channels, 0.0};
    for (auto& d : state_->detectors.audio) WM_RETURN_IF_ERROR(d->start(format));
  }
  for (auto& d : state_->detectors.audio) WM_RETURN_IF_ERROR(d->feed(audio));
  state_->audio_frames += audio.frames;
  return Status::ok();
}

Status Session::feed_video(const FrameView& frame) {
  if (!state_ || state_->finished) return Status::invalid_argument("feed_video after finish");
  if (!state_->info.has_video) return Status::invalid_argument("session '" + state_->info.name + "' was created without video");
  if (frame.data == nullptr) return Status::invalid_argument("feed_video: null data");
  if (frame.width != state_->info.width || frame.height != state_->info.height) {
    return Status::invalid_argument("feed_video: frame is " + std::to_string(frame.width) + "x" +
                                    std::to_string(frame.height) + ", session is " + std::to_string(state_->info.width) +
                                    "x" + std::to_string(state_->info.height));
  }
  const int bytes_per_pixel = frame.format == PixelFormat::kGray8 ? 1 : 3;
  if (frame.stride_bytes < frame.width * bytes_per_pixel) {
    return Status::invalid_argument("feed_video: stride_bytes smaller than a row");
  }
  if (!state_->video_started) {
    state_->video_started = true;
    const core::VideoStreamFormat format{state_->info.width, state_->info.height, state_->info.width,
                                         state_->info.height, 0.0, 0.0};
    for (auto& d : state_->detectors.video) WM_RETURN_IF_ERROR(d->start(format));
  }
  for (auto& d : state_->detectors.video) {
    WM_RETURN_IF_ERROR(scan::feed_video_as_requested(*d, frame, state_->gray_scratch));
  }
  ++state_->video_frames;
  return Status::ok();
}

Status Session::add_metadata(const MetadataMap& metadata) {
  if (!state_ || state_->finished) return Status::invalid_argument("add_metadata after finish");
  for (const auto& [key, value] : metadata) {
    meta::MetaField f;
    f.source = "host";
    f.key = key;
    f.value = value;
    state_->fields.push_back(std::move(f));
  }
  return Status::ok();
}

Result<Report> Session::finish() {
  if (!state_ || state_->finished) return Status::invalid_argument("finish called twice");
  state_->finished = true;
  Report report;
  report.path = state_->info.name;
  if (state_->info.has_audio) {
    StreamSummary s;
    s.index = 0;
    s.kind = "audio";
    s.sample_rate_hz = state_->info.sample_rate_hz;
    s.channels = state_->info.channels;
    s.duration_s = static_cast<double>(state_->audio_frames) / state_->info.sample_rate_hz;
    report.streams.push_back(s);
    report.duration_s = s.duration_s;
  }
  if (state_->info.has_video) {
    StreamSummary s;
    s.index = static_cast<int>(report.streams.size());
    s.kind = "video";
    s.width = state_->info.width;
    s.height = state_->info.height;
    report.streams.push_back(s);
  }
  if (state_->families.contains("meta")) {
    report.findings = meta::classify_fields(state_->fields);
    meta::MetaScanSettings settings;
    settings.inspect_neighbours = false;  // no file, no neighbours
    report.detectors.push_back(meta::meta_detector_run(settings));
  }
  const auto collect = [&](core::DetectorOutput out) {
    for (Finding& f : out.findings) report.findings.push_back(std::move(f));
    for (NotChecked& n : out.not_checked) report.not_checked.push_back(std::move(n));
    report.detectors.push_back(std::move(out.run));
  };
  if (state_->audio_started) {
    for (auto& d : state_->detectors.audio) collect(d->finish(true));
  }
  if (state_->video_started) {
    for (auto& d : state_->detectors.video) collect(d->finish(true));
  }
  std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) > severity_rank(b.severity);
  });
  return report;
}

}  // namespace wm
