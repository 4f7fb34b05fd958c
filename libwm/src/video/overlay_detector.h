// The overlay detector: tiled and single semi-transparent text marks, semi-transparent logos and
// opaque static UI in sampled video frames (findings video.tiled_text, video.text_overlay,
// video.logo_overlay, video.burned_in_text, video.static_ui).
#ifndef WM_VIDEO_OVERLAY_DETECTOR_H_
#define WM_VIDEO_OVERLAY_DETECTOR_H_

#include <memory>
#include <optional>
#include <string>

#include "core/detector.h"

namespace wm::video {

inline constexpr const char* kVideoFamilyVersion = "0.49";

struct OverlaySettings {
  // Frames are analysed scaled down to scaled_width_px, but by no more than max_scale_down: a
  // mark drawn at a screen's own pixel size (18 px at 100 % scaling) is 6 px tall in a 3840-px
  // capture analysed 1280 wide, too small to find; at half size it is found and read. Never
  // wider than max_width_px (memory and time: a 1920-px picture has 2.25 times the pixels).
  int scaled_width_px = 1280;
  double max_scale_down = 2.0;
  int max_width_px = 1920;
  double min_interval_s = 0.5;       // sampling: at most one frame per interval
  int reservoir_frames = 40;         // distinct frames kept for the statistics (memory bound)
  double min_change_gray = 1.5;      // mean |difference| that makes a frame distinct
  double min_varying_fraction = 0.15;  // of the frame, below which overlays are undecidable
  double min_lattice_strength = 0.4;   // normalised autocorrelation a tiling must reach
  double min_stroke_contrast_gray = 2.5;  // recovered strokes fainter than this are noise
  int max_line_windows = 4;          // single lines: windows around line-like islands read (0: whole frame only)
  // Which frames to decode: kKeyframesWhenIndexed ("auto") decodes key frames only when the
  // container's index lists at least reservoir_frames of them, which is most of a long
  // recording's decode time saved; short or unindexed files decode every frame.
  core::FrameChoice frames = core::FrameChoice::kKeyframesWhenIndexed;
  bool ocr = true;                   // read the recovered marks with Tesseract
  bool artifacts = true;             // attach PNGs (recovered mark, annotated frame)
};

// Parses "video.*" parameters; invalid_argument names the parameter and the accepted range.
Result<OverlaySettings> overlay_settings_from(const ScanOptions& options);

std::unique_ptr<core::VideoDetector> make_overlay_detector(const OverlaySettings& settings);

}  // namespace wm::video

#endif  // WM_VIDEO_OVERLAY_DETECTOR_H_
