// One file, one pass: open, hand the container's metadata to the meta family, and assemble
// the report. Stream-consuming families (audio, video) plug in here as they are built; each
// reads from the same demuxing pass (DESIGN.md, "Data flow").
#include <algorithm>
#include <iomanip>
#include <sstream>
#include <string>
#include <string_view>

#include "core/file_reader.h"
#include "io/demuxer.h"
#include "io/media_pass.h"
#include "meta/meta_detector.h"
#include "scan/families.h"
#include "scan/registry.h"
#include "wm/scan.h"

namespace wm {

namespace {

// "7 of 100 decoded video frames (1.20 s to 3.92 s) came from damaged data ...": what the video
// analysis did not see, and why, so a damaged file never gets a report that reads as fully checked.
std::string damaged_frames_note(const io::DamagedFrames& damaged, std::int64_t frames_decoded) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(2) << damaged.left_out << " of " << frames_decoded
     << " decoded video frames (" << damaged.first_s << " s to " << damaged.last_s
     << " s) came from damaged data (" << damaged.flagged
     << " flagged by the decoder, the rest predicted from them) and were left out of the analysis";
  return os.str();
}

// A stream whose packets end well before the duration its container declares: a file cut short
// that the demuxer took for a clean end (an MP3 with a Xing header, FLAC and Matroska do that).
// Only streams read to the end, and only durations the container states (not estimated from
// the bit rate, and not an AVI's: FFmpeg scales those to the part of the file present, so meta's
// check of the RIFF sizes is what catches a cut AVI). When no stream has a duration of its own
// (FLV: only the file's, from its onMetaData), the file's is compared with the latest end, and
// only when every audio and video stream was read to the end, so that an audio track that
// stops early is not taken for a cut. The margins keep the ordinary slack of a last frame's
// duration, encoder priming and edit lists well out: more than 2 s and more than a tenth missing.
std::string cut_short_note(const io::Demuxer& demuxer, const io::PassStats& stats) {
  constexpr double kMinMissingS = 2.0;
  constexpr double kMaxReadShare = 0.9;
  if (demuxer.duration_is_estimate()) return {};
  const auto note = [&](const std::string& what, double read_s, double declared_s) -> std::string {
    if (declared_s <= 0.0 || declared_s - read_s <= kMinMissingS || read_s >= kMaxReadShare * declared_s) return {};
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << what << " at " << std::max(0.0, read_s) << " s of the "
       << declared_s << " s its container declares: the file is cut short, and what was lost was not scanned";
    return os.str();
  };
  bool any_stream_duration = false;
  bool all_read_to_end = true;
  double latest_end_s = 0.0;
  for (const io::StreamDesc& stream : demuxer.streams()) {
    any_stream_duration = any_stream_duration || stream.duration_s > 0.0;
    if (stream.kind != io::StreamKind::kAudio && stream.kind != io::StreamKind::kVideo) continue;
    const auto end = stats.stream_end_s.find(stream.index);
    if (end == stats.stream_end_s.end()) {
      all_read_to_end = false;
      continue;
    }
    latest_end_s = std::max(latest_end_s, end->second - demuxer.start_time_s());
    std::string said = note(std::string(stream.kind_name()) + " stream " + std::to_string(stream.index) + " ends",
                            end->second - stream.start_s, stream.duration_s);
    if (!said.empty()) return said;
  }
  if (any_stream_duration || !all_read_to_end || stats.stream_end_s.empty()) return {};
  return note("its audio and video end", latest_end_s, demuxer.duration_s());
}

meta::ContainerMetadata container_metadata(const io::Demuxer& demuxer) {
  meta::ContainerMetadata c;
  c.format = demuxer.format_metadata();
  for (const io::StreamDesc& s : demuxer.streams()) {
    meta::ContainerMetadata::Stream ms;
    ms.index = s.index;
    ms.kind = std::string(s.kind_name());
    ms.tags = s.metadata;
    ms.attachment_file_name = s.attachment_filename;
    ms.attachment_media_type = s.attachment_mimetype;
    ms.attachment_size_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.attachment_size_bytes));
    c.streams.push_back(std::move(ms));
  }
  for (const io::ChapterDesc& ch : demuxer.chapters()) {
    c.chapters.push_back({ch.index, ch.start_s, ch.end_s, ch.metadata});
  }
  for (const io::ProgramDesc& p : demuxer.programs()) c.programs.push_back({p.id, p.metadata});
  return c;
}

std::vector<StreamSummary> stream_summaries(const io::Demuxer& demuxer) {
  std::vector<StreamSummary> out;
  for (const io::StreamDesc& s : demuxer.streams()) {
    StreamSummary ss;
    ss.index = s.index;
    ss.kind = std::string(s.kind_name());
    ss.codec = s.codec_name;
    ss.duration_s = s.duration_s;
    ss.sample_rate_hz = s.sample_rate_hz;
    ss.channels = s.channels;
    ss.width = s.width;
    ss.height = s.height;
    ss.rotation_deg = s.rotation_deg;
    out.push_back(std::move(ss));
  }
  return out;
}

// The host's hooks as wm/scan.h promises them.
//  - Progress: in order, fraction clamped to be non-decreasing, throttled: a call is made when
//    the stage changes or the fraction has grown by at least kProgressStep since the last
//    call, so a scan makes at most 1 / kProgressStep + (number of stages) calls; the last one
//    is always {1.0, "done"} and nothing follows it.
//  - Cancel: the host's is_cancelled is asked at every poll until it first says true; from
//    then on the answer is latched (the host is not asked again), so the pipeline and the
//    detectors may poll as often as they like and all agree that the scan was cancelled.
// Everything here runs on the scanning thread only.
class HookCaller {
 public:
  static constexpr double kProgressStep = 0.01;

  explicit HookCaller(const ScanHooks& hooks) : hooks_(hooks) {}
  void progress(double fraction, std::string_view stage) {
    if (!hooks_.on_progress || done_) return;
    const bool done = stage == "done";
    fraction = done ? 1.0 : std::clamp(fraction, last_fraction_, 1.0);
    if (!done && started_ && stage == last_stage_ && fraction < last_fraction_ + kProgressStep) return;
    started_ = true;
    done_ = done;
    last_fraction_ = fraction;
    last_stage_ = stage;
    hooks_.on_progress(Progress{fraction, std::string(stage)});
  }
  bool cancelled() {
    if (!cancelled_ && hooks_.is_cancelled && hooks_.is_cancelled()) cancelled_ = true;
    return cancelled_;
  }
  // Whether a poll has already said "cancelled" (the host is not asked).
  bool cancel_seen() const { return cancelled_; }
  void finding(const Finding& f) const {
    if (hooks_.on_finding) hooks_.on_finding(f);
  }

 private:
  const ScanHooks& hooks_;
  double last_fraction_ = 0.0;
  std::string_view last_stage_;  // stages are string literals
  bool started_ = false;
  bool done_ = false;
  bool cancelled_ = false;
};

void mark_incomplete(Report& report, const std::string& why) {
  report.complete = false;
  report.status = ScanStatus::kPartial;
  report.errors.push_back(why);
}

// Feeds the audio and video detectors from one demuxing pass and folds their outputs into
// the report. A stream that is missing is "not checked", not clean.
void run_stream_families(io::Demuxer& demuxer, scan::StreamDetectors& detectors, HookCaller& hook, Report& report) {
  const std::string& name = demuxer.display_name();
  const int audio_index = detectors.audio.empty() ? -1 : demuxer.best_stream(io::StreamKind::kAudio);
  const int video_index = detectors.video.empty() ? -1 : demuxer.best_stream(io::StreamKind::kVideo);
  if (!detectors.audio.empty() && audio_index < 0) {
    report.not_checked.push_back({"audio", "the file has no audio stream"});
    detectors.audio.clear();
  }
  if (!detectors.video.empty() && video_index < 0) {
    report.not_checked.push_back({"video", "the file has no video stream"});
    detectors.video.clear();
  }
  if (detectors.audio.empty() && detectors.video.empty()) return;

  io::MediaPassSpec spec;
  std::vector<std::uint8_t> gray_scratch;
  bool audio_started = false, video_started = false;
  int indexed_keyframes = -1;
  if (audio_index >= 0) {
    spec.audio_stream_index = audio_index;
    spec.audio.sample_rate_hz = 0;  // native: beacons need the top of the spectrum
    spec.audio.channels = 0;
  }
  if (video_index >= 0) {
    const io::StreamDesc& vs = demuxer.streams()[static_cast<std::size_t>(video_index)];
    const core::VideoSamplingRequest request = scan::merged_sampling(detectors.video);
    spec.video_stream_index = video_index;
    spec.video.min_interval_s = request.min_interval_s;
    spec.video.max_frames = request.max_frames;
    spec.video.format = request.format;
    indexed_keyframes = demuxer.indexed_keyframes(video_index);
    spec.video.keyframes_only =
        request.frames == core::FrameChoice::kKeyframes ||
        (request.frames == core::FrameChoice::kKeyframesWhenIndexed &&
         indexed_keyframes >= std::max(1, request.min_indexed_keyframes));
    const int width_px = core::analysed_width_px(request, vs.width);
    if (width_px < vs.width) spec.video.out_width = width_px;
    // Detectors see the picture as players show it: marks and labels are drawn upright on it.
    spec.video.rotate_clockwise_deg = vs.rotation_deg;
  }
  // Detectors poll the same latched cancel inside their own long loops (core/detector.h).
  const auto poll = [&hook] { return hook.cancelled(); };
  for (auto& d : detectors.audio) d->set_cancel_poll(poll);
  for (auto& d : detectors.video) d->set_cancel_poll(poll);
  io::MediaPassCallbacks callbacks;
  callbacks.is_cancelled = poll;  // before every packet
  callbacks.on_progress = [&](double f) { hook.progress(0.1 + 0.85 * f, "media"); };
  callbacks.on_audio = [&](const io::AudioBlock& block) -> Status {
    if (!audio_started) {
      audio_started = true;
      const core::AudioStreamFormat format{block.sample_rate_hz, block.channels, demuxer.duration_s()};
      for (auto& d : detectors.audio) WM_RETURN_IF_ERROR(d->start(format));
    }
    for (auto& d : detectors.audio) WM_RETURN_IF_ERROR(d->feed(block.view()));
    return Status::ok();
  };
  callbacks.on_video = [&](const io::VideoFrame& frame) -> Status {
    if (!video_started) {
      video_started = true;
      const io::StreamDesc& vs = demuxer.streams()[static_cast<std::size_t>(video_index)];
      // Regions are given in the shown picture's pixels: a quarter turn swaps the coded sides.
      const bool quarter_turn = vs.rotation_deg == 90 || vs.rotation_deg == 270;
      const core::VideoStreamFormat format{quarter_turn ? vs.height : vs.width, quarter_turn ? vs.width : vs.height,
                                           frame.width, frame.height, vs.frame_rate_hz, demuxer.duration_s(),
                                           spec.video.keyframes_only, indexed_keyframes};
      for (auto& d : detectors.video) WM_RETURN_IF_ERROR(d->start(format));
    }
    for (auto& d : detectors.video) WM_RETURN_IF_ERROR(scan::feed_video_as_requested(*d, frame.view(), gray_scratch));
    return Status::ok();
  };
  io::PassStats stats;
  const Status pass = io::run_media_pass(demuxer, spec, callbacks, &stats);
  const bool complete = pass.is_ok();
  if (!complete) {
    mark_incomplete(report, pass.code() == StatusCode::kCancelled ? name + ": scan cancelled during the media pass"
                                                                   : pass.with_context(name).message());
  }
  if (complete && report.complete) {  // one reason is enough: the meta walkers may have said it already
    if (const std::string cut = cut_short_note(demuxer, stats); !cut.empty()) mark_incomplete(report, name + ": " + cut);
  }
  if (stats.corrupt_packets > 0) {
    report.not_checked.push_back({"media", std::to_string(stats.corrupt_packets) +
                                               " damaged packet(s) were skipped while decoding"});
  }
  if (stats.video_frames_damaged.left_out > 0) {
    report.not_checked.push_back({"video", damaged_frames_note(stats.video_frames_damaged, stats.video_frames_decoded)});
  }
  const auto collect = [&](core::DetectorOutput out) {
    for (Finding& f : out.findings) {
      hook.finding(f);
      report.findings.push_back(std::move(f));
    }
    for (NotChecked& n : out.not_checked) report.not_checked.push_back(std::move(n));
    report.detectors.push_back(std::move(out.run));
  };
  // The analyses at the end (audiowmark's last window, the video statistics and OCR) are the
  // longest stretches without packets; detectors poll the cancel inside them. A detector whose
  // stream never started has nothing to finish.
  const std::size_t to_finish = (audio_started ? detectors.audio.size() : 0) + (video_started ? detectors.video.size() : 0);
  std::size_t finished = 0;
  const auto finish = [&](auto& d) {
    hook.progress(0.95 + 0.05 * static_cast<double>(finished++) / static_cast<double>(to_finish), "analysis");
    collect(d->finish(complete));
  };
  if (audio_started) {
    for (auto& d : detectors.audio) finish(d);
  }
  if (video_started) {
    for (auto& d : detectors.video) finish(d);
  }
  if (complete && hook.cancel_seen()) mark_incomplete(report, name + ": scan cancelled during the analysis");
  if (!detectors.audio.empty() && !audio_started) report.not_checked.push_back({"audio", "no audio could be decoded"});
  // Every frame damaged is said above, with the reason.
  if (!detectors.video.empty() && !video_started && stats.video_frames_damaged.left_out == 0) {
    report.not_checked.push_back({"video", "no video frame could be decoded"});
  }
}

}  // namespace

Result<Report> scan_file(const std::filesystem::path& path, const ScanOptions& options, const ScanHooks& hooks) {
  WM_ASSIGN_OR_RETURN(const std::set<std::string> families, scan::resolve_detectors(options));
  WM_ASSIGN_OR_RETURN(const scan::MetaParameters meta_params, scan::meta_parameters(options));
  WM_ASSIGN_OR_RETURN(scan::StreamDetectors stream_detectors, scan::make_stream_detectors(families, options));
  HookCaller hook(hooks);
  hook.progress(0.0, "open");

  WM_ASSIGN_OR_RETURN(core::FileReader reader, core::FileReader::open(path));
  if (reader.size_bytes() == 0) return Status::unsupported(path.string() + ": empty file (0 bytes)");
  WM_ASSIGN_OR_RETURN(io::Demuxer demuxer, io::Demuxer::open(path));

  Report report;
  report.path = path.string();
  report.size_bytes = reader.size_bytes();
  report.container = demuxer.format_name();
  report.duration_s = demuxer.duration_s();
  report.streams = stream_summaries(demuxer);

  if (hook.cancelled()) {
    mark_incomplete(report, path.string() + ": scan cancelled before the metadata was read");
    return report;
  }
  hook.progress(0.1, "metadata");
  if (families.contains("meta")) {
    const meta::MetaScanSettings settings{meta_params.inspect_neighbours, meta_params.max_metadata_bytes};
    meta::MetaScanResult meta = meta::scan_metadata(path, container_metadata(demuxer), reader, settings);
    for (const meta::WalkIssue& issue : meta.issues) {
      if (issue.truncated) mark_incomplete(report, path.string() + ": " + issue.message);
      else report.not_checked.push_back({"meta", issue.message});
    }
    for (Finding& f : meta.findings) {
      hook.finding(f);
      report.findings.push_back(std::move(f));
    }
    report.detectors.push_back(meta::meta_detector_run(settings));
    for (const io::StreamDesc& s : demuxer.streams()) {
      if (s.kind == io::StreamKind::kSubtitle) {
        report.not_checked.push_back(
            {"meta", "subtitle stream " + std::to_string(s.index) + ": its text (which may name speakers) is not read by this version"});
      }
    }
  }
  // A file whose structure is cut short still gets its media read as far as it goes.
  if (hook.cancelled()) mark_incomplete(report, path.string() + ": scan cancelled before the media pass");
  else run_stream_families(demuxer, stream_detectors, hook, report);
  // Most serious first across families; stable keeps each family's own order.
  std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) > severity_rank(b.severity);
  });
  hook.progress(1.0, "done");
  return report;
}

}  // namespace wm
