#include "video/family.h"

#include "video/overlay_detector.h"

namespace wm::video {

DetectorDescription describe_video_family() {
  DetectorDescription d;
  d.id = "video";
  d.version = kVideoFamilyVersion;
  d.purpose = "Visible marks in the picture: tiled or single semi-transparent text watermarks (read by OCR), "
              "semi-transparent logos and opaque static UI, from consistent gradients over sampled frames.";
  d.finding_ids = {"video.tiled_text", "video.text_overlay", "video.logo_overlay", "video.burned_in_text",
                   "video.static_ui"};
  const OverlaySettings defaults;
  d.parameters = {
      {"scaled_width_px", "Frames wider than this are analysed scaled down to this width, within max_scale_down",
       std::to_string(defaults.scaled_width_px), "160..3840"},
      {"max_scale_down",
       "Frames are scaled down by no more than this factor (a 3840-px capture is analysed 1920 wide), "
       "within max_width_px; 0 = any factor",
       "2", "0..16"},
      {"max_width_px", "Frames are never analysed wider than this (bounds memory and time)",
       std::to_string(defaults.max_width_px), "160..3840"},
      {"min_interval_s", "Sample at most one frame per this interval", "0.5", "0..600"},
      {"reservoir_frames", "Distinct frames kept for the statistics (bounds memory)",
       std::to_string(defaults.reservoir_frames), "4..200"},
      {"min_varying_fraction", "Share of the frame that must change for overlays to be decidable", "0.15", "0..1"},
      {"min_lattice_strength", "Normalised autocorrelation a tiled mark's lattice must reach", "0.4", "0.05..1"},
      {"min_stroke_contrast_gray", "Recovered strokes fainter than this (gray levels) are treated as noise", "2.5",
       "0..255"},
      {"max_line_windows",
       "Single lines: windows around line-like islands that are read besides the whole frame (0 = whole frame only)",
       std::to_string(defaults.max_line_windows), "0..16"},
      {"frames",
       "Frames to decode: auto = key frames only when the container's index lists at least reservoir_frames "
       "of them (long recordings), else every frame; all; keyframes",
       "auto", "auto|all|keyframes"},
      {"ocr", "Read recovered marks with Tesseract (English)", "true", "true|false"},
      {"artifacts", "Attach PNG images of the recovered mark and an annotated frame", "true", "true|false"},
  };
  return d;
}

Result<std::vector<std::unique_ptr<core::VideoDetector>>> make_video_detectors(const ScanOptions& options) {
  WM_ASSIGN_OR_RETURN(const OverlaySettings settings, overlay_settings_from(options));
  std::vector<std::unique_ptr<core::VideoDetector>> out;
  out.push_back(make_overlay_detector(settings));
  return out;
}

}  // namespace wm::video
