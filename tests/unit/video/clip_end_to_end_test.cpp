// End to end through the real io stack: clips encoded by the ffmpeg CLI at test time (frames
// drawn with OpenCV, a tiled mark or a logo overlaid), decoded by io::run_media_pass with the
// detector's own sampling request, then analysed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "io/media_pass.h"
#include "unit/io/io_test_util.h"
#include "unit/video/synthetic_frames.h"
#include "video/finding_fields.h"
#include "video/mark_reader.h"
#include "video/overlay_detector.h"

namespace wm::video {
namespace {

using io::testing::TempDir;

// Writes `count` PNG frames and encodes them as H.264 at `rate` frames/s with `encoder_options`.
template <class Make>
bool make_clip(const TempDir& dir, const std::string& name, int count, Make make, int rate = 2,
               const std::string& encoder_options = "") {
  for (int i = 0; i < count; ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "f%03d.png", i);
    if (!cv::imwrite((dir / file).string(), make(i))) return false;
  }
  return io::testing::make_media("-framerate " + std::to_string(rate) + " -i " + io::testing::quoted(dir / "f%03d.png") +
                                     " -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p " + encoder_options,
                                 dir / name);
}

const Finding* first_finding(const core::DetectorOutput& out, const std::string& detector) {
  for (const Finding& f : out.findings) {
    if (f.detector == detector) return &f;
  }
  return nullptr;
}

std::string evidence_text(const Finding& f, const std::string& key) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key) return std::get<std::string>(e.value);
  }
  return {};
}

// `count` frames of changing content (from `content_seed`) under "j.smith@example.org" tiled
// in gray at 30 % opacity, 640 x 360, encoded as by make_clip.
bool make_tiled_email_clip(const TempDir& dir, const std::string& name, int count, std::uint32_t content_seed,
                           int rate = 2, const std::string& encoder_options = "") {
  const int w = 640, h = 360;
  const cv::Mat layer = testing::make_tiled_layer(w, h, "j.smith@example.org", -20.0, 0.8, 340, 90);
  return make_clip(
      dir, name, count,
      [&](int i) { return testing::blend(testing::make_content(w, h, i, content_seed), layer, 0.3, 90.0); }, rate,
      encoder_options);
}

struct ClipResult {
  Status pass_status;
  core::DetectorOutput output;
  int frames_fed = 0;
};

// Frames are delivered as the pipeline delivers them: scaled as the detector's request says.
ClipResult scan_clip(const std::filesystem::path& path, bool keyframes_only = false,
                     const OverlaySettings& settings = OverlaySettings{}) {
  ClipResult result;
  Result<io::Demuxer> demuxer = io::Demuxer::open(path);
  if (!demuxer.is_ok()) {
    result.pass_status = demuxer.status();
    return result;
  }
  std::unique_ptr<core::VideoDetector> detector = make_overlay_detector(settings);
  const core::VideoSamplingRequest request = detector->sampling();
  io::MediaPassSpec spec;
  spec.video_stream_index = demuxer->best_stream(io::StreamKind::kVideo);
  spec.video.min_interval_s = request.min_interval_s;
  spec.video.format = request.format;
  spec.video.keyframes_only = keyframes_only;
  const io::StreamDesc& stream = demuxer->streams()[static_cast<std::size_t>(spec.video_stream_index)];
  const int width_px = core::analysed_width_px(request, stream.width);
  if (width_px < stream.width) spec.video.out_width = width_px;
  bool started = false;
  io::MediaPassCallbacks callbacks;
  callbacks.on_video = [&](const io::VideoFrame& frame) -> Status {
    if (!started) {
      started = true;
      WM_RETURN_IF_ERROR(detector->start({stream.width, stream.height, frame.width, frame.height,
                                          stream.frame_rate_hz, stream.duration_s}));
    }
    ++result.frames_fed;
    return detector->feed(frame.view());
  };
  result.pass_status = io::run_media_pass(*demuxer, spec, callbacks);
  if (started) result.output = detector->finish(result.pass_status.is_ok());
  return result;
}

TEST(ClipEndToEndTest, TiledEmailFragmentInAnEncodedClipIsRead) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(make_tiled_email_clip(dir, "tiled.mp4", 24, 21));
  const ClipResult r = scan_clip(dir / "tiled.mp4");
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  const Finding* tiled = first_finding(r.output, "video.tiled_text");
  ASSERT_NE(tiled, nullptr);
  EXPECT_EQ(evidence_text(*tiled, "text"), "j.smith@example.org");
}

// A mark drawn at the screen's own pixel size stays small in a large capture. Here a 16-px
// DejaVu Sans address, tiled in rows by ffmpeg's drawtext at 30 % over the tests' changing page,
// 1920 x 1080, analysed as a 3840-px capture is: scaled_width_px a third of the width (1280 of
// 3840 there, 640 here). Scaled down by no more than 2 (max_scale_down), i.e. 960 wide, its 8-px
// letters are found and read. With the limit off (scaled by 3, 5-px letters) the same clip gives
// only a small logo, no text mark (checked when this was written).
TEST(ClipEndToEndTest, SmallMarkInALargeCaptureIsAnalysedAtNoLessThanHalfSize) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  {
    std::ofstream rows(dir / "rows.txt");
    for (int row = 0; row < 16; ++row) {
      rows << std::string(row % 2 == 0 ? 0 : 16, ' ');
      for (int k = 0; k < 8; ++k) rows << "p.novak@corp.example            ";
      rows << "\n";
    }
  }
  const std::string mark = "-vf \"drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=" +
                           (dir / "rows.txt").string() +
                           ":fontsize=16:line_spacing=42:fontcolor=0x5a5a5a@0.3:x=10:y=20\"";
  const int w = 1920, h = 1080;
  ASSERT_TRUE(make_clip(dir, "large.mp4", 24, [&](int i) { return testing::make_content(w, h, i, 31); }, 2, mark));
  OverlaySettings settings;
  settings.scaled_width_px = 640;
  const ClipResult r = scan_clip(dir / "large.mp4", false, settings);
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  std::string analysed_size;
  for (const auto& [key, value] : r.output.run.parameters) {
    if (key == "analysed_size") analysed_size = value;
  }
  EXPECT_EQ(analysed_size, "960x540 (scaled from 1920x1080)");
  const Finding* tiled = first_finding(r.output, "video.tiled_text");
  ASSERT_NE(tiled, nullptr);
  EXPECT_EQ(evidence_text(*tiled, "text"), "p.novak@corp.example");
}

// What video.frames=auto does to a long recording: only the key frames are decoded (here a key
// frame every second frame, as the MP4 index says). The mark must still be found and read from
// them alone.
TEST(ClipEndToEndTest, TiledMarkIsReadFromKeyFramesAlone) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(make_tiled_email_clip(dir, "gop2.mp4", 96, 23, 4, "-g 2 -keyint_min 2 -sc_threshold 0"));
  const ClipResult r = scan_clip(dir / "gop2.mp4", /*keyframes_only=*/true);
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  EXPECT_EQ(r.frames_fed, 48);
  const Finding* tiled = first_finding(r.output, "video.tiled_text");
  ASSERT_NE(tiled, nullptr);
  EXPECT_EQ(evidence_text(*tiled, "text"), "j.smith@example.org");
}

// `jane.doe@example.com` tiled in black over the tests' sparse dark code page (page gray 30,
// light identifiers), 640 x 360, 2 frames/s, encoded by x264 at `crf`: the mark darkens the bare
// page by a few gray levels and the glyphs under it by more, and the codec softens its edges.
struct DarkCodeClip {
  double alpha = 0.08;
  int crf = 28;
  int frames = 40;
  std::uint32_t content_seed = 35;
  double font_scale = 1.0;
  int step_x = 420, step_y = 110;
};

// Made in a folder of its own and scanned; nothing when the clip could not be made.
std::optional<ClipResult> scan_dark_code_clip(const DarkCodeClip& clip) {
  TempDir dir;
  const int w = 640, h = 360;
  const cv::Mat layer =
      testing::make_tiled_layer(w, h, "jane.doe@example.com", 15.0, clip.font_scale, clip.step_x, clip.step_y);
  const bool made =
      dir.ok() && make_clip(
                      dir, "clip.mp4", clip.frames,
                      [&](int i) {
                        return testing::blend(testing::make_sparse_code_page(w, h, i, clip.content_seed, true), layer,
                                              clip.alpha, 0.0);
                      },
                      2, "-crf " + std::to_string(clip.crf));  // the later -crf is the one x264 gets
  if (!made) return std::nullopt;
  return scan_clip(dir / "clip.mp4");
}

// The first tiled-text finding of a clip made and scanned by scan_dark_code_clip; nullptr, and
// a failed test, when the clip could not be made or read.
const Finding* tiled_finding_of(const std::optional<ClipResult>& r) {
  if (!r.has_value()) {
    ADD_FAILURE() << "the clip could not be made";
    return nullptr;
  }
  if (!r->pass_status.is_ok()) {
    ADD_FAILURE() << r->pass_status.message();
    return nullptr;
  }
  return first_finding(r->output, "video.tiled_text");
}

bool has_evidence(const Finding& f, const std::string& key) {
  for (const EvidenceField& e : f.evidence) {
    if (e.key == key) return true;
  }
  return false;
}

// At 0.08 and CRF 28 (40 frames): with step 3h (the median of smoothed frames) taken out, nothing
// at all is found in this clip (checked); the step finds the lattice at strength 0.64 and reads
// the address. Its unmarked twin reaches step 3h too (checked by a trace, not kept) and must stay
// without a mark there.
TEST(ClipEndToEndTest, FaintBlackMarkOverDarkCodeIsFoundInTheMedianOfSmoothedFrames) {
  const std::optional<ClipResult> r = scan_dark_code_clip({});
  const Finding* tiled = tiled_finding_of(r);
  ASSERT_NE(tiled, nullptr);
  EXPECT_TRUE(has_evidence(*tiled, "smoothed_frames"));
  EXPECT_NE(evidence_text(*tiled, "text").find("doe@example"), std::string::npos) << evidence_text(*tiled, "text");
}

TEST(ClipEndToEndTest, DarkCodeWithoutMarkHasNoMarkInTheMedianOfSmoothedFrames) {
  DarkCodeClip unmarked;
  unmarked.alpha = 0.0;
  const std::optional<ClipResult> r = scan_dark_code_clip(unmarked);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  for (const Finding& f : r->output.findings) {
    EXPECT_NE(f.detector, "video.tiled_text");
    EXPECT_NE(f.detector, "video.text_overlay");
    EXPECT_NE(f.detector, "video.logo_overlay");
  }
}

// The same page and mark, smaller and closer (330 x 90 px tiles), 30 frames. A weak view (here
// the lattice under the page's content grid) whose strokes are under the contrast gate holds its
// finding back while the later searches get their turn.
DarkCodeClip weak_view_clip(double alpha, int crf) {
  DarkCodeClip clip;
  clip.alpha = alpha;
  clip.crf = crf;
  clip.frames = 30;
  clip.content_seed = 5;
  clip.font_scale = 0.8;
  clip.step_x = 330;
  clip.step_y = 90;
  return clip;
}

// At 0.08 and CRF 23 only the content-grid view sees the mark (stroke contrast 1.4 gray): the held
// finding must be reported when nothing later finds the mark. Without that it was lost (checked).
TEST(ClipEndToEndTest, HeldBackWeakViewFindingIsReportedWhenNothingLaterFindsTheMark) {
  const std::optional<ClipResult> r = scan_dark_code_clip(weak_view_clip(0.08, 23));
  const Finding* tiled = tiled_finding_of(r);
  ASSERT_NE(tiled, nullptr);
  EXPECT_TRUE(has_evidence(*tiled, "under_content_grid"));
  EXPECT_NE(evidence_text(*tiled, "text").find("doe@example"), std::string::npos) << evidence_text(*tiled, "text");
}

// At 0.12 and CRF 28 the content-grid view reads `jane.doeGexample.com` at confidence 0.54 with
// faint strokes (2.5 gray, under the gate); the still part of the picture then reads the mark
// at 0.87. The later, surer finding is the one reported (without the hold, the first was; checked).
TEST(ClipEndToEndTest, WeakViewWithFaintStrokesWaitsForALaterView) {
  const std::optional<ClipResult> r = scan_dark_code_clip(weak_view_clip(0.12, 28));
  const Finding* tiled = tiled_finding_of(r);
  ASSERT_NE(tiled, nullptr);
  EXPECT_EQ(evidence_text(*tiled, "seen_in"), "still part of the picture");
  EXPECT_FALSE(has_evidence(*tiled, "under_content_grid"));
}

// A 2 x 2 gallery view, 640 x 360, 24 frames at 2 frames/s (CRF 23), its names drawn as
// `plate` says, under `mark_alpha` of "j.smith@example.org" tiled in white when above 0;
// scanned.
std::optional<ClipResult> scan_gallery_clip(testing::LabelPlate plate, double mark_alpha = 0.0) {
  const TempDir dir;
  const std::vector<std::string> names = {"Maria Keller", "Tom Berger", "Priya Raman", "Jonas Weber"};
  const cv::Mat layer = testing::make_tiled_layer(640, 360, "j.smith@example.org", 20.0, 0.8, 340, 90);
  if (!dir.ok() || !make_clip(dir, "gallery.mp4", 24, [&](int i) {
        const cv::Mat frame = testing::make_gallery_frame(640, 360, 2, i, names, plate, 3);
        return mark_alpha > 0.0 ? testing::blend(frame, layer, mark_alpha, 255.0) : frame;
      })) {
    return std::nullopt;
  }
  return scan_clip(dir / "gallery.mp4");
}

// The burned-in readings of `r`, sorted.
std::vector<std::string> burned_in_readings(const ClipResult& r) {
  std::vector<std::string> readings;
  for (const Finding& f : r.output.findings) {
    if (f.detector == "video.burned_in_text") readings.push_back(evidence_text(f, "text"));
  }
  std::sort(readings.begin(), readings.end());
  return readings;
}

int mark_findings(const ClipResult& r) {
  return static_cast<int>(std::count_if(r.output.findings.begin(), r.output.findings.end(), [](const Finding& f) {
    return f.detector == "video.tiled_text" || f.detector == "video.text_overlay" || f.detector == "video.logo_overlay";
  }));
}

const std::vector<std::string> kGalleryNamesSorted = {"Jonas Weber", "Maria Keller", "Priya Raman", "Tom Berger"};

// Each gallery name read once, a letter wrong at most (OpenCV's Hershey font at 13 px is not one
// Tesseract knows well: `Moria` for `Maria`).
void expect_gallery_names_read(const std::vector<std::string>& readings) {
  ASSERT_EQ(readings.size(), kGalleryNamesSorted.size()) << ::testing::PrintToString(readings);
  for (std::size_t i = 0; i < readings.size(); ++i) {
    EXPECT_LE(reading_distance(readings[i], kGalleryNamesSorted[i]), 0.1) << readings[i];
  }
}

// Zoom and Teams draw the name on a semi-transparent plate: the picture changes right around the
// letters, so no still region holds the label, and the same plate in every tile repeats like a
// tiled mark. Each name is read on its own line, and the tile grid is no mark.
TEST(ClipEndToEndTest, GalleryNamesOnSemiTransparentPlatesAreReadAndTheTileGridIsNoMark) {
  const std::optional<ClipResult> r = scan_gallery_clip(testing::LabelPlate::kSemiTransparent);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  expect_gallery_names_read(burned_in_readings(*r));
  EXPECT_EQ(mark_findings(*r), 0);
}

// Meet draws the name bare, with a shadow.
TEST(ClipEndToEndTest, GalleryNamesWithoutPlatesAreRead) {
  const std::optional<ClipResult> r = scan_gallery_clip(testing::LabelPlate::kBare);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  expect_gallery_names_read(burned_in_readings(*r));
  EXPECT_EQ(mark_findings(*r), 0);
}

// A viewer's address tiled over the gallery (the client marks what it shows): the mark is found
// and read, and the names stay labels; the mark's own pieces over still parts of the tiles (the
// borders) are not reported as burned-in text. One name of four may be lost: where the mark's
// strokes cross its letters they join into a piece taller than a line (`Tom Berger` here).
TEST(ClipEndToEndTest, GalleryUnderATiledMarkKeepsItsNamesAndTheMark) {
  const std::optional<ClipResult> r = scan_gallery_clip(testing::LabelPlate::kSemiTransparent, 0.15);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  const Finding* tiled = first_finding(r->output, "video.tiled_text");
  ASSERT_NE(tiled, nullptr);
  EXPECT_EQ(evidence_text(*tiled, "text"), "j.smith@example.org");
  const std::vector<std::string> readings = burned_in_readings(*r);
  EXPECT_GE(readings.size(), 3u);
  for (const std::string& reading : readings) {
    const bool a_name = std::any_of(kGalleryNamesSorted.begin(), kGalleryNamesSorted.end(),
                                    [&](const std::string& name) { return reading_distance(reading, name) <= 0.1; });
    EXPECT_TRUE(a_name) << reading;
  }
}

TEST(ClipEndToEndTest, GalleryWithoutNamesHasNoMarkAndNoText) {
  const std::optional<ClipResult> r = scan_gallery_clip(testing::LabelPlate::kNone);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  EXPECT_TRUE(burned_in_readings(*r).empty());
  EXPECT_EQ(mark_findings(*r), 0);
}

// The bundled gallery sample (ffmpeg-drawn: 2 x 2 tiles with 2-px borders, names on plates at
// 50 %): its tile grid passes the lattice search's own gates (`—` read at 0.92 without the
// tile-grid test), and only lattice_on_tile_grid says it is the layout.
TEST(ClipEndToEndTest, GallerySampleNamesAreReadAndItsTileGridIsNoMark) {
  const ClipResult r = scan_clip(std::filesystem::path(WM_SOURCE_DIR) / "samples" / "gallery-view.mp4");
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  EXPECT_EQ(burned_in_readings(r), (std::vector<std::string>{"Ana Lima", "Jane Doe", "John Smith", "Raj Patel"}));
  EXPECT_EQ(mark_findings(r), 0);
}

// One camera tile of a gallery view as make_corpus.py draws it (gallery_view): drifting gradients
// between two colours with sensor noise, and with a `name` that participant's label.
struct GalleryTile {
  const char* c0;
  const char* c1;
  const char* speed;
  int seed;
  const char* name = nullptr;
};

// A 3 x 3 gallery view as make_corpus.py draws one: tiles with 2-px borders centred in a dark
// frame with `margin_px` around, each named tile's label (`label_px` DejaVu Sans, white on an
// opaque plate) at its bottom left; CRF 30, 12 s at 25 frames/s, 1280 x 720.
bool make_gallery_clip(const TempDir& dir, const std::string& name, int margin_px, int label_px,
                       const GalleryTile (&tiles)[9]) {
  const int cell_w = (1280 - 2 * margin_px) / 3, cell_h = (720 - 2 * margin_px) / 3;
  const int tile_w = (cell_w - 4) & ~1, tile_h = (cell_h - 4) & ~1;
  std::ostringstream inputs, graph;
  for (int i = 0; i < 9; ++i) {
    std::ostringstream tile;
    tile << "gradients=s=" << tile_w << "x" << tile_h << ":c0=" << tiles[i].c0 << ":c1=" << tiles[i].c1
         << ":c2=0xA08070:n=3:speed=" << tiles[i].speed << ":r=25:d=12:seed=" << tiles[i].seed
         << ",format=yuv420p,noise=alls=3:allf=t";
    inputs << "-f lavfi -i " << io::testing::quoted(tile.str()) << " ";
    graph << "[" << i << ":v]";
    if (tiles[i].name != nullptr) {
      graph << "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='" << tiles[i].name
            << "':fontsize=" << label_px << ":fontcolor=white:box=1:boxcolor=0x202020:boxborderw="
            << std::max(3, label_px / 4) << ":x=" << label_px / 2 << ":y=h-th-" << label_px / 2 << ",";
    }
    graph << "pad=" << cell_w << ":" << cell_h << ":2:2:color=0x1a1a1a[t" << i << "];";
  }
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col) graph << "[t" << 3 * row + col << "]";
    graph << "hstack=inputs=3[r" << row << "];";
  }
  graph << "[r0][r1][r2]vstack=inputs=3,pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=0x1a1a1a[v]";
  return io::testing::make_media(inputs.str() + "-filter_complex " + io::testing::quoted(graph.str()) +
                                     " -map [v] -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p",
                                 dir / name);
}

// Camera-like video (drifting gradients with sensor noise, as a webcam's soft background) with
// `m.rossi@corp.example` drawn by ffmpeg's drawtext at `fontcolor` (e.g. "black@0.35"): DejaVu
// Sans Bold 30 px, centred, 640 x 360, 10 s at 25 frames/s, CRF 28. Scanned; nullopt when the
// clip could not be made.
std::optional<ClipResult> scan_camera_line_clip(const std::string& fontcolor) {
  const TempDir dir;
  const std::string camera =
      "gradients=s=640x360:c0=0x5a7090:c1=0x907050:c2=0x60a070:n=3:speed=0.03:r=25:d=10:seed=41,"
      "format=yuv420p,noise=alls=4:allf=t";
  const std::string line = "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:"
                           "text='m.rossi@corp.example':fontsize=30:fontcolor=" + fontcolor + ":x=(w-tw)/2:y=(h-th)/2";
  if (!dir.ok() || !io::testing::make_media("-f lavfi -i " + io::testing::quoted(camera) + " -vf " +
                                                io::testing::quoted(line) +
                                                " -c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p",
                                            dir / "line.mp4")) {
    return std::nullopt;
  }
  return scan_clip(dir / "line.mp4");
}

// A semi-transparent line over camera video that moves little stands as still as a name label
// (the corpus's single_camera lines were all reported as opaque burned-in text until family
// 0.46): its letters follow the picture beside them, so it is a mark, with its opacity.
TEST(ClipEndToEndTest, SemiTransparentLineOverCameraVideoIsAMarkNotALabel) {
  const std::optional<ClipResult> r = scan_camera_line_clip("black@0.35");
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  const Finding* line = first_finding(r->output, "video.text_overlay");
  ASSERT_NE(line, nullptr);
  EXPECT_NE(evidence_text(*line, "text").find("rossi"), std::string::npos) << evidence_text(*line, "text");
  EXPECT_TRUE(burned_in_readings(*r).empty());
  const double alpha = evidence_number(*line, "alpha", -1.0);
  EXPECT_GT(alpha, 0.15);
  EXPECT_LT(alpha, 0.6);
}

// The same line drawn opaque, with no plate (as a meeting client draws a name over its tile): a
// label, not a mark.
TEST(ClipEndToEndTest, OpaqueLineOverCameraVideoIsALabel) {
  const std::optional<ClipResult> r = scan_camera_line_clip("white");
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->pass_status.is_ok()) << r->pass_status.message();
  const std::vector<std::string> labels = burned_in_readings(*r);
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_NE(labels[0].find("rossi"), std::string::npos) << labels[0];
  EXPECT_EQ(mark_findings(*r), 0);
}

// A 3 x 3 gallery without names (the corpus's neg_gallery, a 16-px margin): where a tile meets a
// border the codec leaves a straight, isolated, semi-transparent-looking edge, a line-shaped
// island the logo search took for a logo (245 x 9 px) before islands longer than 8 : 1 were
// ruled out.
TEST(ClipEndToEndTest, GalleryTileBordersAreNoLogos) {
  const TempDir dir;
  ASSERT_TRUE(dir.ok());
  const GalleryTile tiles[9] = {{"0x605080", "0x705060", "0.08", 333}, {"0x705060", "0x408060", "0.08", 579},
                                {"0x304060", "0x605080", "0.03", 938}, {"0x408060", "0x507030", "0.03", 629},
                                {"0x806040", "0x806040", "0.01", 552}, {"0x304060", "0x203040", "0.05", 144},
                                {"0x705060", "0x408060", "0.01", 333}, {"0x506070", "0x507030", "0.08", 644},
                                {"0x507030", "0x304060", "0.01", 897}};
  ASSERT_TRUE(make_gallery_clip(dir, "gallery.mp4", 16, 18, tiles));
  const ClipResult r = scan_clip(dir / "gallery.mp4");
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  EXPECT_EQ(first_finding(r.output, "video.logo_overlay"), nullptr);
  EXPECT_EQ(mark_findings(r), 0);
}

// A labelled gallery (held-out seed 145 `064`, drawn alike): a 41 x 8 piece of the border below
// a label, shorter than 8 : 1, was reported as a logo until islands under 12 px across were
// ruled out (LogoSearchParams::min_short_side_px). Every name is still read.
TEST(ClipEndToEndTest, LabelledGalleryBorderPieceIsNoLogo) {
  const TempDir dir;
  ASSERT_TRUE(dir.ok());
  const GalleryTile tiles[9] = {
      {"0x605080", "0x507030", "0.03", 668, "Tom Berger"},   {"0x506070", "0x705060", "0.08", 361, "Kofi Mensah"},
      {"0x703050", "0x506070", "0.03", 787, "Ines Duarte"},  {"0x806050", "0x305070", "0.01", 558, "Jonas Weber"},
      {"0x703050", "0x703050", "0.08", 984, "Maria Keller"}, {"0x304060", "0x605080", "0.05", 497, "Lena Vogel"},
      {"0x507030", "0x305070", "0.03", 959, "Priya Raman"},  {"0x305070", "0x304060", "0.08", 755, "Sofia Lindqvist"},
      {"0x203040", "0x507030", "0.03", 485, "Alex Chen"}};
  ASSERT_TRUE(make_gallery_clip(dir, "gallery.mp4", 40, 18, tiles));
  const ClipResult r = scan_clip(dir / "gallery.mp4");
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  EXPECT_EQ(first_finding(r.output, "video.logo_overlay"), nullptr);
  EXPECT_EQ(mark_findings(r), 0);
  EXPECT_EQ(burned_in_readings(r), (std::vector<std::string>{"Alex Chen", "Ines Duarte", "Jonas Weber", "Kofi Mensah",
                                                             "Lena Vogel", "Maria Keller", "Priya Raman",
                                                             "Sofia Lindqvist", "Tom Berger"}));
}

// A terminal paged by keyboard, as ffmpeg draws one: a listing of identifiers in DejaVu Sans Mono
// (15 px, lines of 0 to 10 words, indented by 0 to 8 spaces) moved up 57 px (about three lines)
// at each of 20 frames, with `mark_drawtext` (a drawtext filter, or empty) drawn over it; the
// listing's words are drawn by std::mt19937 from `listing_seed`.
bool make_paged_terminal_clip(const TempDir& dir, const std::string& name, const std::string& mark_drawtext,
                              unsigned listing_seed = 7) {
  static const char* const kWords[] = {"return", "const", "value", "index", "buffer", "size", "static",
                                       "width", "height", "frame", "count", "result", "status", "input"};
  std::mt19937 rng(listing_seed);
  std::uniform_int_distribution<int> word(0, 13), words(0, 10), indent(0, 4);
  {
    std::ofstream listing(dir / "listing.txt");
    for (int line = 0; line < 400; ++line) {
      listing << std::string(static_cast<std::size_t>(2 * indent(rng)), ' ');
      for (int n = words(rng), k = 0; k < n; ++k) listing << kWords[word(rng)] << (k + 1 < n ? " " : ";");
      listing << "\n";
    }
  }
  const std::string listing_text = "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf:textfile=" +
                                   (dir / "listing.txt").string() + ":fontsize=15:fontcolor=0xd8d8d8:x=20:y=10-57*n";
  return io::testing::make_media("-f lavfi -i color=c=0x282828:s=640x360:r=2:d=10 -vf \"" + listing_text +
                                     (mark_drawtext.empty() ? "" : "," + mark_drawtext) +
                                     "\" -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p",
                                 dir / name);
}

// The grey line at 0.3 the tests below draw over the terminal (DejaVu Sans 28 px at x 170, y 165).
const std::string kTerminalLine =
    "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:"
    "text='jane.doe@example.com':fontsize=28:fontcolor=0xa0a0a0@0.3:x=170:y=165";

// The terminal of `listing_seed` under kTerminalLine: the line is reported and read at least as
// far as `jane.doe@exam`; the same pages without it have no mark.
void expect_line_over_terminal_read(const TempDir& dir, unsigned listing_seed) {
  ASSERT_TRUE(make_paged_terminal_clip(dir, "marked.mp4", kTerminalLine, listing_seed));
  const ClipResult marked = scan_clip(dir / "marked.mp4");
  ASSERT_TRUE(marked.pass_status.is_ok()) << marked.pass_status.message();
  const Finding* line = first_finding(marked.output, "video.text_overlay");
  ASSERT_NE(line, nullptr);
  EXPECT_NE(evidence_text(*line, "text").find("jane.doe@exam"), std::string::npos) << evidence_text(*line, "text");
  ASSERT_TRUE(make_paged_terminal_clip(dir, "unmarked.mp4", "", listing_seed));
  const ClipResult unmarked = scan_clip(dir / "unmarked.mp4");
  ASSERT_TRUE(unmarked.pass_status.is_ok()) << unmarked.pass_status.message();
  EXPECT_EQ(mark_findings(unmarked), 0);
  EXPECT_EQ(first_finding(unmarked.output, "video.burned_in_text"), nullptr);
}

// A line over that terminal (held-out 141 `060` and 139 `060`): the listing's ink passes only
// through its glyphs' columns, so the still gaps between them cut the line into slivers that
// did not read (before family 0.43; with_narrow_still_gaps_bridged). The listing (seed 7) was
// chosen: of six tried, the line was found over this one with the bridge and over none without;
// over the other five it was still missed by 0.43 (which six is not recorded; over 24 listings
// see the next test).
TEST(ClipEndToEndTest, LineOverATerminalPagedByTheKeyboardIsRead) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  expect_line_over_terminal_read(dir, 7);
}

// Over other listings of that terminal the line's strokes were read but under half of them lay
// in changing_background's mask, eroded to the middle of each glyph column; most of them lie on
// pixels that changed (kMinChangedStrokeShare, family 0.44). The listing (seed 17) was chosen: of
// 24 tried the line was found over 3 before and over 7 with the second share, 17 read best of
// the four it added; the same pages without the line have no mark, as on the other 23.
TEST(ClipEndToEndTest, LineOverATerminalWhoseGlyphColumnsHideTheChangeIsRead) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  expect_line_over_terminal_read(dir, 17);
}

// Over other listings the whole frame's reading found the line but was not sure enough of it
// (`jane.doe@exaitip.e.seit` at 0.51 over one python-drawn listing), and no window cut around the
// gradients' line-like islands held the whole line: the page's rows make islands of their own.
// Since family 0.45 a window around where the whole frame read it is read next. The listing
// (seed 13) is the one of the 24 above over which that window alone made the difference (found
// over 8, was 7); the same pages without the line have no mark.
TEST(ClipEndToEndTest, LineOverATerminalReadUnsurelyInTheWholeFrameIsReadAgainAroundIt) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  expect_line_over_terminal_read(dir, 13);
}

// The second share is stricter than the first because what the median keeps of such a page lies
// on its changing pixels too: over listing seed 5 a word of the page, read `stide` at 78,182
// (57 % of its strokes on changed pixels, 19 % in changing_background's mask), was reported as the
// line with that share at 0.5. The line itself is missed there; nothing is reported off its place.
TEST(ClipEndToEndTest, AWordOfATerminalPageIsNoLineOverIt) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(make_paged_terminal_clip(dir, "marked.mp4", kTerminalLine, 5));
  const ClipResult marked = scan_clip(dir / "marked.mp4");
  ASSERT_TRUE(marked.pass_status.is_ok()) << marked.pass_status.message();
  const Region mark_place{160, 155, 360, 50};  // the line drawn at x 170, y 165, 28 px, and a margin
  for (const Finding& f : marked.output.findings) {
    if (f.detector != "video.text_overlay") continue;
    ASSERT_TRUE(f.region.has_value());
    const bool on_the_mark = f.region->x < mark_place.x + mark_place.width && mark_place.x < f.region->x + f.region->width &&
                             f.region->y < mark_place.y + mark_place.height && mark_place.y < f.region->y + f.region->height;
    EXPECT_TRUE(on_the_mark) << evidence_text(f, "text") << " at " << f.region->x << "," << f.region->y;
  }
}

TEST(ClipEndToEndTest, SemiTransparentLogoInAnEncodedClipIsALogo) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const int w = 640, h = 360;
  const cv::Mat layer = testing::make_logo_layer(w, h, cv::Point(70, h - 70), 45);
  ASSERT_TRUE(make_clip(dir, "logo.mp4", 20,
                        [&](int i) { return testing::blend(testing::make_content(w, h, i, 23), layer, 0.3, 255.0); }));
  const ClipResult r = scan_clip(dir / "logo.mp4");
  ASSERT_TRUE(r.pass_status.is_ok()) << r.pass_status.message();
  const Finding* logo = nullptr;
  for (const Finding& f : r.output.findings) {
    EXPECT_NE(f.detector, "video.tiled_text");
    EXPECT_NE(f.detector, "video.text_overlay");
    if (f.detector == "video.logo_overlay") logo = &f;
  }
  ASSERT_NE(logo, nullptr);
  ASSERT_TRUE(logo->region.has_value());
  EXPECT_NEAR(logo->region->x + logo->region->width / 2, 70, 12);
  EXPECT_NEAR(logo->region->y + logo->region->height / 2, h - 70, 12);
}

// ffmpeg's own test pattern (testsrc2): static colour bars seen through a moving line and
// shapes. The bars' edges stay put while the line makes the pixels vary, and they repeat across
// the frame; their autocorrelation is a ridge along the bars with no peak standing out of it
// (significance ~1), which is no tiled mark.
TEST(ClipEndToEndTest, FfmpegTestPatternIsNoTiledMark) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(io::testing::make_media("-f lavfi -i testsrc2=size=1280x720:rate=30:duration=8 -c:v libx264 -crf 23 "
                                      "-pix_fmt yuv420p",
                                      dir / "testsrc2.mp4"));
  const ClipResult result = scan_clip(dir / "testsrc2.mp4");
  ASSERT_TRUE(result.pass_status.is_ok()) << result.pass_status.message();
  EXPECT_EQ(first_finding(result.output, "video.tiled_text"), nullptr);
  EXPECT_EQ(first_finding(result.output, "video.logo_overlay"), nullptr);
}

TEST(ClipEndToEndTest, TruncatedClipGivesAPartialResultWithoutCrashing) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const int w = 320, h = 180;
  ASSERT_TRUE(make_clip(dir, "clip.mkv", 16, [&](int i) { return testing::make_content(w, h, i, 22); }));
  std::vector<std::uint8_t> bytes = io::testing::read_bytes(dir / "clip.mkv");
  bytes.resize(bytes.size() * 2 / 3);
  ASSERT_TRUE(io::testing::write_bytes(dir / "cut.mkv", bytes));
  const ClipResult r = scan_clip(dir / "cut.mkv");
  if (!r.pass_status.is_ok()) {
    EXPECT_FALSE(r.pass_status.message().empty());
    bool said_so = false;
    for (const NotChecked& n : r.output.not_checked) said_so |= n.reason.find("ended early") != std::string::npos;
    EXPECT_TRUE(said_so);
  }
  // A cut Matroska file may also just end early without an error: then the frames before
  // the cut were analysed normally; either way nothing crashed and no mark was invented.
  for (const Finding& f : r.output.findings) EXPECT_NE(f.detector, "video.tiled_text");
}

}  // namespace
}  // namespace wm::video
