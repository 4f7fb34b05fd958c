// Synthetic screen-share frames for the video tests: changing "document" content with an
// optional tiled, single or logo overlay, all from a seed.
#ifndef WM_TESTS_UNIT_VIDEO_SYNTHETIC_FRAMES_H_
#define WM_TESTS_UNIT_VIDEO_SYNTHETIC_FRAMES_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace wm::video::testing {

// A light page of random dark text lines, different for every `index`. The page's gray level
// varies from frame to frame (200..250) unless `page_gray` (0..255) fixes it.
inline cv::Mat make_content(int width, int height, int index, std::uint32_t seed, int page_gray = -1) {
  std::mt19937 rng(seed * 1000u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> letter('a', 'z'), offset(0, 30), bg(200, 250), words(3, 9);
  const int random_gray = bg(rng);
  cv::Mat page(height, width, CV_8UC1, cv::Scalar(page_gray >= 0 ? page_gray : random_gray));
  for (int y = 20 + offset(rng); y < height; y += 22) {
    std::string line;
    const int n = words(rng);
    for (int w = 0; w < n; ++w) {
      for (int k = 0; k < 2 + letter(rng) % 7; ++k) line.push_back(static_cast<char>(letter(rng)));
      line.push_back(' ');
    }
    cv::putText(page, line, cv::Point(offset(rng), y), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(40), 1, cv::LINE_AA);
  }
  return page;
}

// A page filled edge to edge with bold random text (ink `ink_gray` on `page_gray`), lines at a
// random offset in every frame: over a few dozen frames ink passes under every pixel.
inline cv::Mat make_dense_page(int width, int height, int index, std::uint32_t seed, int page_gray, int ink_gray) {
  std::mt19937 rng(seed * 1000u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> letter('a', 'z'), offset(0, 40);
  cv::Mat page(height, width, CV_8UC1, cv::Scalar(page_gray));
  for (int y = 10 + offset(rng) / 2; y < height + 20; y += 20) {
    std::string line;
    while (line.size() < static_cast<std::size_t>(width / 9)) {
      for (int k = 0; k < 2 + letter(rng) % 7; ++k) line.push_back(static_cast<char>(letter(rng)));
      line.push_back(' ');
    }
    cv::putText(page, line, cv::Point(-offset(rng), y), cv::FONT_HERSHEY_SIMPLEX, 0.55, cv::Scalar(ink_gray), 2,
                cv::LINE_AA);
  }
  return page;
}

// Identifiers for the code pages below: words OCR reads with confidence (15 of them).
inline const char* const kCodeWords[] = {"return", "const", "value", "index", "buffer", "size", "static", "width",
                                         "height", "frame", "count", "result", "status", "double", "input"};

// A code editor in a dark theme scrolled by an arbitrary number of pixels: short thin lines of
// light text, indented, a third of them blank, over a plain dark page. Much of the page is bare
// in every frame and thin gaps between glyphs never see ink. Lines are random letters, or with
// `words` a few identifiers OCR reads with confidence.
inline cv::Mat make_sparse_code_page(int width, int height, int index, std::uint32_t seed, bool words = false) {
  std::mt19937 rng(seed * 1000u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> letter('a', 'z'), word(0, 14), scroll(0, 21), indent(0, 3), length(8, 46),
      blank(0, 2);
  cv::Mat page(height, width, CV_8UC1, cv::Scalar(30));
  for (int y = 14 + scroll(rng); y < height + 20; y += 22) {
    if (blank(rng) == 0) continue;
    std::string line(static_cast<std::size_t>(4 * indent(rng)), ' ');
    for (int n = length(rng), k = 0; k < n; ++k) {
      if (words) {
        if (k % 7 == 0) line += std::string(kCodeWords[word(rng)]) + " ";
      } else {
        line.push_back(k % 7 == 6 ? ' ' : static_cast<char>(letter(rng)));
      }
    }
    cv::putText(page, line, cv::Point(30, y), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(200), 1, cv::LINE_AA);
  }
  return page;
}

// A code editor in a dark theme scrolled by `scroll_px`: line k of one fixed listing (a few
// identifiers, random indent and length, from `seed`) is drawn at y = 20 + 22 k - scroll_px.
// Every row's glyphs change as it scrolls, while the gaps beside short lines stay bare.
inline cv::Mat make_scrolled_code_page(int width, int height, int scroll_px, std::uint32_t seed) {
  cv::Mat page(height, width, CV_8UC1, cv::Scalar(30));
  for (int k = std::max(0, scroll_px / 22 - 1);; ++k) {
    const int y = 20 + 22 * k - scroll_px;
    if (y > height + 20) break;
    std::mt19937 rng(seed * 1000u + static_cast<std::uint32_t>(k));
    std::uniform_int_distribution<int> word(0, 14), indent(0, 3), words(2, 6);
    std::string line(static_cast<std::size_t>(4 * indent(rng)), ' ');
    for (int n = words(rng), i = 0; i < n; ++i) line += std::string(kCodeWords[word(rng)]) + " ";
    cv::putText(page, line, cv::Point(30, y), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(200), 1, cv::LINE_AA);
  }
  return page;
}

// A document page `page_height` tall in a light theme: lines of random words in dark ink,
// 22 px apart (strokes 2 px wide), a blank line now and then, for frames that show it scrolled (scroll_window).
inline cv::Mat make_tall_light_page(int width, int page_height, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> letter('a', 'z'), indent(0, 40), words(4, 11), blank(0, 6);
  cv::Mat page(page_height, width, CV_8UC1, cv::Scalar(248));
  for (int y = 20; y < page_height; y += 22) {
    if (blank(rng) == 0) continue;
    std::string line;
    for (int n = words(rng), k = 0; k < n; ++k) {
      for (int c = 0; c < 2 + letter(rng) % 7; ++c) line.push_back(static_cast<char>(letter(rng)));
      line.push_back(' ');
    }
    cv::putText(page, line, cv::Point(10 + indent(rng), y), cv::FONT_HERSHEY_SIMPLEX, 0.55, cv::Scalar(30), 2,
                cv::LINE_AA);
  }
  return page;
}

// The rows of `page` a frame `height` tall shows when scrolled down by `offset_px`.
inline cv::Mat scroll_window(const cv::Mat& page, int height, int offset_px) {
  return page.rowRange(offset_px, offset_px + height).clone();
}

// A slide from one template: a title and bullet lines of random words at the same places on
// every slide, over a background whose gray level and ramp change from slide to slide. With
// `title_start`, every other slide's title begins with it (a deck's "What:" slides).
inline cv::Mat make_template_slide(int width, int height, int index, std::uint32_t seed,
                                   const std::string& title_start = "") {
  std::mt19937 rng(seed * 1000u + static_cast<std::uint32_t>(index));
  std::uniform_int_distribution<int> letter('a', 'z'), gray(30, 225), ramp(-60, 60), words(3, 6);
  const int base = gray(rng), slope = ramp(rng);
  cv::Mat slide(height, width, CV_8UC1);
  for (int x = 0; x < width; ++x) slide.col(x).setTo(cv::saturate_cast<std::uint8_t>(base + slope * x / width));
  const cv::Scalar ink(base > 128 ? 20 : 235);
  auto random_words = [&](int n) {
    std::string line;
    for (int w = 0; w < n; ++w) {
      for (int k = 0; k < 3 + letter(rng) % 6; ++k) line.push_back(static_cast<char>(letter(rng)));
      line.push_back(' ');
    }
    return line;
  };
  const std::string title = (!title_start.empty() && index % 2 == 0 ? title_start + " " : "") + random_words(3);
  cv::putText(slide, title, cv::Point(40, 50), cv::FONT_HERSHEY_SIMPLEX, 1.1, ink, 2, cv::LINE_AA);
  for (int b = 0; b < 5; ++b) {
    const int y = 110 + 36 * b;
    cv::circle(slide, cv::Point(52, y - 7), 4, ink, cv::FILLED, cv::LINE_AA);
    cv::putText(slide, random_words(words(rng)), cv::Point(66, y), cv::FONT_HERSHEY_SIMPLEX, 0.7, ink, 2, cv::LINE_AA);
  }
  return slide;
}

// A layer (CV_32FC1, 0..1 coverage) with `text` tiled on a grid, rotated by `angle_deg`
// counter-clockwise on screen.
inline cv::Mat make_tiled_layer(int width, int height, const std::string& text, double angle_deg, double font_scale,
                                int step_x, int step_y) {
  const int big = 2 * std::max(width, height);
  cv::Mat layer = cv::Mat::zeros(big, big, CV_8UC1);
  // A tile of several lines ('\n' between them: a name over an address), each line below the last.
  std::vector<std::string> lines;
  for (std::size_t from = 0;;) {
    const std::size_t to = text.find('\n', from);
    lines.push_back(text.substr(from, to == std::string::npos ? std::string::npos : to - from));
    if (to == std::string::npos) break;
    from = to + 1;
  }
  const int line_step_px = static_cast<int>(std::lround(36.0 * font_scale));
  int row = 0;
  for (int y = step_y / 2; y < big; y += step_y, ++row) {
    for (int x = (row % 2) * step_x / 2; x < big; x += step_x) {
      for (std::size_t k = 0; k < lines.size(); ++k) {
        cv::putText(layer, lines[k], cv::Point(x, y + static_cast<int>(k) * line_step_px), cv::FONT_HERSHEY_SIMPLEX,
                    font_scale, cv::Scalar(255), 2, cv::LINE_AA);
      }
    }
  }
  const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(big / 2.0f, big / 2.0f), angle_deg, 1.0);
  cv::Mat rotated;
  cv::warpAffine(layer, rotated, rot, layer.size());
  cv::Mat cut = rotated(cv::Rect((big - width) / 2, (big - height) / 2, width, height)).clone();
  cv::Mat out;
  cut.convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

// A layer (CV_32FC1, 0..1 coverage) with one icon centred at `centre`: a ring of outer
// radius `radius_px` and a filled dot in it, anti-aliased (a generic app logo).
inline cv::Mat make_logo_layer(int width, int height, cv::Point centre, int radius_px) {
  cv::Mat layer = cv::Mat::zeros(height, width, CV_8UC1);
  const int ring_px = std::max(3, radius_px / 3);
  cv::circle(layer, centre, radius_px - ring_px / 2, cv::Scalar(255), ring_px, cv::LINE_AA);
  cv::circle(layer, centre, radius_px / 3, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
  cv::Mat out;
  layer.convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

// A layer with diamond outlines (no text) on a staggered grid: a tiled logo.
inline cv::Mat make_tiled_shapes_layer(int width, int height, int step_x, int step_y, int half_px) {
  cv::Mat layer = cv::Mat::zeros(height, width, CV_8UC1);
  int row = 0;
  for (int y = step_y / 2; y < height + step_y; y += step_y, ++row) {
    for (int x = (row % 2) * step_x / 2; x < width + step_x; x += step_x) {
      const std::vector<cv::Point> diamond = {{x, y - half_px}, {x + half_px, y}, {x, y + half_px}, {x - half_px, y}};
      cv::polylines(layer, diamond, true, cv::Scalar(255), 5, cv::LINE_AA);
    }
  }
  cv::Mat out;
  layer.convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

// How a gallery view draws a participant's name (make_gallery_frame).
enum class LabelPlate { kNone, kOpaque, kSemiTransparent, kBare };

// Frame `index` of a gallery view: `n` x `n` camera-like tiles (soft blobs drifting over a
// shaded ground, with sensor noise; different in every tile), 2-px dark borders between them,
// each tile's name from `names` (n * n of them) at its bottom left in white, on a plate as
// `plate` says (kNone: no labels).
inline cv::Mat make_gallery_frame(int width, int height, int n, int index, const std::vector<std::string>& names,
                                  LabelPlate plate, std::uint32_t seed) {
  cv::Mat frame(height, width, CV_8UC1, cv::Scalar(26));
  const int cell_w = width / n, cell_h = height / n;
  std::mt19937 noise_rng(seed * 7919u + static_cast<std::uint32_t>(index));
  std::normal_distribution<float> noise(0.0f, 2.0f);
  for (int t = 0; t < n * n; ++t) {
    const cv::Rect cell((t % n) * cell_w + 2, (t / n) * cell_h + 2, cell_w - 4, cell_h - 4);
    std::mt19937 rng(seed * 101u + static_cast<std::uint32_t>(t));
    std::uniform_int_distribution<int> gray(60, 190), pos(0, 1000);
    cv::Mat tile(cell.size(), CV_8UC1, cv::Scalar(gray(rng)));
    for (int b = 0; b < 4; ++b) {
      // Each blob drifts on its own slow path.
      const double phase = pos(rng) / 1000.0 * CV_2PI, speed = 0.15 + pos(rng) / 4000.0;
      const cv::Point centre(static_cast<int>(tile.cols * (0.5 + 0.4 * std::sin(phase + speed * index))),
                             static_cast<int>(tile.rows * (0.5 + 0.4 * std::cos(1.3 * phase + speed * index))));
      cv::circle(tile, centre, tile.rows / 4, cv::Scalar(gray(rng)), cv::FILLED, cv::LINE_AA);
    }
    cv::GaussianBlur(tile, tile, cv::Size(0, 0), 6.0);
    for (int y = 0; y < tile.rows; ++y) {
      auto* row = tile.ptr<std::uint8_t>(y);
      for (int x = 0; x < tile.cols; ++x) row[x] = cv::saturate_cast<std::uint8_t>(row[x] + noise(noise_rng));
    }
    if (plate != LabelPlate::kNone) {
      const std::string& name = names[static_cast<std::size_t>(t)];
      int baseline = 0;
      const cv::Size text = cv::getTextSize(name, cv::FONT_HERSHEY_SIMPLEX, 0.7, 1, &baseline);
      const cv::Point origin(10, tile.rows - 12);
      const cv::Rect box(origin.x - 5, origin.y - text.height - 5, text.width + 10, text.height + baseline + 10);
      if (plate == LabelPlate::kOpaque) tile(box).setTo(30);
      if (plate == LabelPlate::kSemiTransparent) tile(box) *= 0.45;
      if (plate == LabelPlate::kBare) {
        cv::putText(tile, name, origin + cv::Point(1, 1), cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(10), 1, cv::LINE_AA);
      }
      cv::putText(tile, name, origin, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(255), 1, cv::LINE_AA);
    }
    tile.copyTo(frame(cell));
  }
  return frame;
}

// frame = (1 - a*layer) * content + a*layer*colour, rounded to 8 bits.
inline cv::Mat blend(const cv::Mat& content, const cv::Mat& layer, double alpha, double colour_gray) {
  cv::Mat c, out;
  content.convertTo(c, CV_32F);
  cv::Mat a = layer * alpha;
  cv::Mat mixed = c.mul(1.0 - a) + a * colour_gray;
  mixed.convertTo(out, CV_8U);
  return out;
}

}  // namespace wm::video::testing

#endif  // WM_TESTS_UNIT_VIDEO_SYNTHETIC_FRAMES_H_
