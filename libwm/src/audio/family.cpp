// The audio family: self-description and construction of its detectors from "audio.*"
// parameters.
#include "audio/family.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "audio/audiowmark.h"
#include "audio/echo_hiding.h"
#include "audio/mono.h"
#include "audio/ultrasonic_beacon.h"
#include "audio/unknown_mark.h"

namespace wm::audio {

namespace {

constexpr char kFamilyVersion[] = "1.0";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

// Feeds `inner` the shared mono mix instead of the stream's channels, so that the channels are
// mixed once per block for the whole family (each detector would otherwise mix them itself).
class MonoFed final : public core::AudioDetector {
 public:
  MonoFed(std::unique_ptr<core::AudioDetector> inner, std::shared_ptr<SharedMono> mono)
      : inner_(std::move(inner)), mono_(std::move(mono)) {}
  Status start(const core::AudioStreamFormat& format) override {
    inner_->set_cancel_poll([this] { return cancel_requested(); });
    channels_ = format.channels;
    blocks_ = 0;
    core::AudioStreamFormat mono = format;
    if (mono.channels > 0) mono.channels = 1;
    return inner_->start(mono);
  }
  Status feed(const AudioView& audio) override {
    const std::vector<float>& mixed = mono_->mix(audio, channels_, blocks_);
    return inner_->feed(AudioView{mixed.data(), audio.frames, 1, audio.pts_s});
  }
  core::DetectorOutput finish(bool complete) override { return inner_->finish(complete); }

 private:
  std::unique_ptr<core::AudioDetector> inner_;
  std::shared_ptr<SharedMono> mono_;
  int channels_ = 0;
  std::uint64_t blocks_ = 0;
};

}  // namespace

DetectorDescription describe_audio_family() {
  DetectorDescription d;
  d.id = "audio";
  d.version = kFamilyVersion;
  d.purpose =
      "Inaudible audio marks: audiowmark payloads (all-zero or given keys), near-ultrasonic beacons, echo hiding; "
      "experimental keyless periodic-mark indicator (audio.unknown_mark, off by default).";
  d.finding_ids = {"audio.audiowmark", "audio.ultrasonic_beacon", "audio.echo_hiding", "audio.unknown_mark"};
  d.parameters = {
      {"audiowmark_keys", "Comma-separated audiowmark key files (line `key <32 hex>`) tried after the all-zero key",
       "", "comma-separated readable file paths"},
      {"artifacts", "Attach PNG evidence: band spectrogram (beacons), cepstrum (echo), block scores (audiowmark)",
       "true", "true|false"},
      {"unknown_mark", "Experimental keyless search for a periodic spread-spectrum/patchwork mark (see docs/detectors/audio.md)",
       "false", "true|false"},
      {"unknown_mark_min_z", "Robust z a repeat must reach to be reported by audio.unknown_mark",
       "8", "number > 0"},
  };
  return d;
}

Result<bool> bool_parameter(const ScanOptions& options, const std::string& name, bool fallback) {
  auto it = options.parameters.find(name);
  if (it == options.parameters.end()) return fallback;
  if (it->second == "true" || it->second == "1") return true;
  if (it->second == "false" || it->second == "0") return false;
  return Status::invalid_argument("parameter " + name + ": expected true|false, got \"" + it->second + "\"");
}

Result<std::vector<std::unique_ptr<core::AudioDetector>>> make_audio_detectors(const ScanOptions& options) {
  std::vector<std::unique_ptr<core::AudioDetector>> out;
  std::vector<AudiowmarkKey> keys;
  std::vector<std::string> key_paths;
  if (auto it = options.parameters.find("audio.audiowmark_keys"); it != options.parameters.end()) {
    key_paths = split_list(it->second);
    for (const auto& path : key_paths) {
      auto key = read_audiowmark_key_file(path);
      if (!key.is_ok()) return key.status().with_context("parameter audio.audiowmark_keys");
      keys.push_back(std::move(key).value());
    }
  }
  WM_ASSIGN_OR_RETURN(const bool artifacts, bool_parameter(options, "audio.artifacts", true));
  WM_ASSIGN_OR_RETURN(const bool unknown_mark, bool_parameter(options, "audio.unknown_mark", false));
  double min_z = kUnknownMarkDefaultMinZ;
  if (auto it = options.parameters.find("audio.unknown_mark_min_z"); it != options.parameters.end()) {
    char* end = nullptr;
    min_z = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || end == nullptr || *end != '\0' || !(min_z > 0.0) || !std::isfinite(min_z)) {
      return Status::invalid_argument("parameter audio.unknown_mark_min_z: expected a number > 0, got \"" +
                                      it->second + "\"");
    }
  }
  auto audiowmark = std::make_unique<AudiowmarkDetector>(std::move(keys), std::move(key_paths));
  audiowmark->set_artifacts(artifacts);
  audiowmark->set_unknown_mark_runs(unknown_mark);
  auto beacon = std::make_unique<UltrasonicBeaconDetector>();
  beacon->set_artifacts(artifacts);
  auto echo = std::make_unique<EchoHidingDetector>();
  echo->set_artifacts(artifacts);
  auto mono = std::make_shared<SharedMono>();
  out.push_back(std::make_unique<MonoFed>(std::move(audiowmark), mono));
  out.push_back(std::make_unique<MonoFed>(std::move(beacon), mono));
  out.push_back(std::make_unique<MonoFed>(std::move(echo), mono));
  if (unknown_mark) out.push_back(std::make_unique<MonoFed>(std::make_unique<UnknownMarkDetector>(min_z), mono));
  return out;
}

}  // namespace wm::audio
