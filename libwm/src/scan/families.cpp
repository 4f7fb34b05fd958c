#include "scan/families.h"

#include <algorithm>

#if WM_HAVE_AUDIO
#include "audio/family.h"
#endif
#if WM_HAVE_VIDEO
#include "video/family.h"
#endif

namespace wm::scan {

std::vector<DetectorDescription> stream_family_descriptions() {
  std::vector<DetectorDescription> out;
#if WM_HAVE_AUDIO
  out.push_back(audio::describe_audio_family());
#endif
#if WM_HAVE_VIDEO
  out.push_back(video::describe_video_family());
#endif
  return out;
}

bool is_stream_family_parameter(const std::string& name) {
  for (const auto& d : stream_family_descriptions()) {
    if (name.rfind(d.id + ".", 0) == 0) return true;
  }
  return false;
}

Result<StreamDetectors> make_stream_detectors(const std::set<std::string>& families, const ScanOptions& options) {
  StreamDetectors out;
#if WM_HAVE_AUDIO
  if (families.contains("audio")) {
    WM_ASSIGN_OR_RETURN(out.audio, audio::make_audio_detectors(options));
  }
#endif
#if WM_HAVE_VIDEO
  if (families.contains("video")) {
    WM_ASSIGN_OR_RETURN(out.video, video::make_video_detectors(options));
  }
#endif
  (void)families;
  (void)options;
  return out;
}

core::VideoSamplingRequest merged_sampling(const std::vector<std::unique_ptr<core::VideoDetector>>& video) {
  core::VideoSamplingRequest merged;
  bool first = true;
  for (const auto& d : video) {
    const core::VideoSamplingRequest r = d->sampling();
    if (first) {
      merged = r;
      first = false;
      continue;
    }
    merged.min_interval_s = std::min(merged.min_interval_s, r.min_interval_s);
    const auto scaled_width = [](const core::VideoSamplingRequest& q) {
      return q.scaled_width_px > 0 ? q.scaled_width_px : q.max_width_px;
    };
    merged.scaled_width_px = std::max(scaled_width(merged), scaled_width(r));
    merged.max_width_px = std::max(merged.max_width_px, r.max_width_px);
    if (r.max_scale_down > 0.0) {
      merged.max_scale_down = merged.max_scale_down > 0.0 ? std::min(merged.max_scale_down, r.max_scale_down) : r.max_scale_down;
    }
    merged.max_frames = (merged.max_frames == 0 || r.max_frames == 0) ? 0 : std::max(merged.max_frames, r.max_frames);
    if (r.format != PixelFormat::kGray8) merged.format = PixelFormat::kBgr24;
    // The detector that needs the most frames decides: every frame, else key frames when the
    // index lists enough of them (the largest count asked for), else key frames.
    if (r.frames == core::FrameChoice::kAll || merged.frames == core::FrameChoice::kAll) {
      merged.frames = core::FrameChoice::kAll;
    } else if (r.frames == core::FrameChoice::kKeyframesWhenIndexed) {
      merged.min_indexed_keyframes = merged.frames == core::FrameChoice::kKeyframesWhenIndexed
                                         ? std::max(merged.min_indexed_keyframes, r.min_indexed_keyframes)
                                         : r.min_indexed_keyframes;
      merged.frames = core::FrameChoice::kKeyframesWhenIndexed;
    }
  }
  return merged;
}

Status feed_video_as_requested(core::VideoDetector& detector, const FrameView& frame, std::vector<std::uint8_t>& scratch) {
  if (detector.sampling().format != PixelFormat::kGray8 || frame.format == PixelFormat::kGray8) {
    return detector.feed(frame);
  }
  // BGR/RGB to luma (BT.601 weights, integer arithmetic).
  const bool bgr = frame.format == PixelFormat::kBgr24;
  scratch.resize(static_cast<std::size_t>(frame.width) * frame.height);
  for (int y = 0; y < frame.height; ++y) {
    const std::uint8_t* row = frame.data + static_cast<std::size_t>(y) * frame.stride_bytes;
    for (int x = 0; x < frame.width; ++x) {
      const int b = row[3 * x + (bgr ? 0 : 2)], g = row[3 * x + 1], r = row[3 * x + (bgr ? 2 : 0)];
      scratch[static_cast<std::size_t>(y) * frame.width + x] = static_cast<std::uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
    }
  }
  FrameView gray{scratch.data(), frame.width, frame.height, frame.width, PixelFormat::kGray8, frame.pts_s};
  return detector.feed(gray);
}

}  // namespace wm::scan
