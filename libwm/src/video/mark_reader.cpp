// Reading a recovered overlay. Tesseract (LSTM engine, English data) does well on clean,
// horizontal, dark-on-light lines with an x-height of 20-30 px (Tesseract's "ImproveQuality"
// guide), which is exactly what a matte can be turned into: we level it by the text angle
// (row-profile search, as in classic page deskewing), cut line blobs, upscale and read each in
// single-line mode, then vote across tiles — every tile of a tiled mark says the same thing.
//
// What it cannot see: scripts other than Latin (only English data is used), marks whose strokes
// are thinner than about one pixel after sampling, text rotated more than 60 degrees.
#include "video/mark_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <utility>

#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>

namespace wm::video {

std::string_view text_kind_name(TextKind kind) {
  switch (kind) {
    case TextKind::kEmail: return "email";
    case TextKind::kEmailLocalPart: return "email_local_part";
    case TextKind::kPhone: return "phone";
    case TextKind::kPersonName: return "person_name";
    case TextKind::kFreeText: return "free_text";
    case TextKind::kNone: return "none";
  }
  return "none";
}

TextKind classify_text(std::string_view text_view) {
  const std::string text(text_view);
  if (text.empty()) return TextKind::kNone;
  static const std::regex email(R"(^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$)");
  static const std::regex phone(R"(^\+?[0-9()\-. ]{7,}$)");
  static const std::regex local_part(R"(^[A-Za-z0-9]+([._\-][A-Za-z0-9]+)+$)");
  static const std::regex name(R"(^[A-Z][a-z'\-]+( [A-Z]\.?)?( [A-Z][a-z'\-]+){1,2}$)");
  if (std::regex_match(text, email)) return TextKind::kEmail;
  if (std::regex_match(text, phone)) {
    const auto digits = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits >= 7) return TextKind::kPhone;
  }
  if (std::regex_match(text, local_part)) return TextKind::kEmailLocalPart;
  if (std::regex_match(text, name)) return TextKind::kPersonName;
  return TextKind::kFreeText;
}

namespace {

cv::Mat rotate_keep_all(const cv::Mat& image, double angle_deg, int border_type, const cv::Scalar& fill) {
  const cv::Point2f centre(static_cast<float>(image.cols) / 2.0f, static_cast<float>(image.rows) / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(centre, -angle_deg, 1.0);
  const double rad = angle_deg * CV_PI / 180.0;
  const int w = static_cast<int>(std::ceil(image.cols * std::abs(std::cos(rad)) + image.rows * std::abs(std::sin(rad))));
  const int h = static_cast<int>(std::ceil(image.cols * std::abs(std::sin(rad)) + image.rows * std::abs(std::cos(rad))));
  m.at<double>(0, 2) += w / 2.0 - centre.x;
  m.at<double>(1, 2) += h / 2.0 - centre.y;
  cv::Mat out;
  cv::warpAffine(image, out, m, cv::Size(w, h), cv::INTER_LINEAR, border_type, fill);
  return out;
}

double row_profile_score(const cv::Mat& binary_float, double angle_deg) {
  const cv::Mat levelled = rotate_keep_all(binary_float, angle_deg, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::Mat rows;
  cv::reduce(levelled, rows, 1, cv::REDUCE_SUM, CV_64F);
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < rows.rows; ++i) {
    const double v = rows.at<double>(i, 0);
    sum += v;
    sum_sq += v * v;
  }
  return sum > 0.0 ? sum_sq / (sum * sum) : 0.0;
}

std::string normalise_reading(const char* raw) {
  std::string s = raw != nullptr ? raw : "";
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // OCR often inserts spaces around '@' and '.' in addresses.
  std::string tight;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && i > 0 && i + 1 < out.size()) {
      const char a = out[i - 1], b = out[i + 1];
      if (a == '@' || b == '@' || a == '.' || b == '.') continue;
    }
    tight.push_back(out[i]);
  }
  return tight;
}

struct TessDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};
using TessPtr = std::unique_ptr<tesseract::TessBaseAPI, TessDeleter>;

Result<TessPtr> start_tesseract() {
  TessPtr api{new tesseract::TessBaseAPI()};
  // Keep the library silent: Tesseract's diagnostics would otherwise go to stderr.
  // debug_file is one of Tesseract's process-global parameters (tprintf.cpp), not a member of
  // this instance: set it once, not from every concurrent scan at the same time.
  static std::once_flag quiet_once;
  std::call_once(quiet_once, [&] { api->SetVariable("debug_file", "/dev/null"); });
  if (api->Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
    return Status::internal("OCR: Tesseract could not load its English data (tesseract-ocr-eng)");
  }
  api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  return api;
}

Result<MarkText> read_one(tesseract::TessBaseAPI& api, const cv::Mat& gray8) {
  cv::Mat padded;
  cv::copyMakeBorder(gray8, padded, 12, 12, 12, 12, cv::BORDER_CONSTANT, cv::Scalar(255));
  api.SetImage(padded.data, padded.cols, padded.rows, 1, static_cast<int>(padded.step));
  api.SetSourceResolution(300);
  std::unique_ptr<char[]> raw{api.GetUTF8Text()};
  MarkText out;
  out.text = normalise_reading(raw.get());
  out.confidence = std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0);
  out.lines_read = 1;
  out.votes = out.text.empty() ? 0 : 1;
  out.kind = classify_text(out.text);
  return out;
}

}  // namespace

double estimate_text_angle_deg(const cv::Mat& shape, const std::function<bool()>& stop) {
  cv::Mat small;
  const double factor = std::min(1.0, 480.0 / std::max(shape.cols, shape.rows));
  cv::resize(shape, small, cv::Size(), factor, factor, cv::INTER_AREA);
  cv::Mat binary;
  cv::threshold(small, binary, 0.35, 1.0, cv::THRESH_BINARY);
  double best_angle = 0.0, best_score = -1.0;
  for (int a = -60; a <= 60; ++a) {
    if (stop && stop()) return best_angle;
    const double score = row_profile_score(binary, a);
    if (score > best_score) {
      best_score = score;
      best_angle = a;
    }
  }
  const double coarse = best_angle;
  for (double a = coarse - 1.0; a <= coarse + 1.0 + 1e-9; a += 0.25) {
    const double score = row_profile_score(binary, a);
    if (score > best_score) {
      best_score = score;
      best_angle = a;
    }
  }
  return best_angle;
}

Result<MarkText> read_line_image(const cv::Mat& gray8) {
  try {
    WM_ASSIGN_OR_RETURN(TessPtr api, start_tesseract());
    return read_one(*api, gray8);
  } catch (const std::exception& e) {
    return Status::internal(std::string("OCR: ") + e.what());
  }
}

Result<MarkText> read_mark(const cv::Mat& shape, double angle_deg, int max_lines, const std::function<bool()>& stop) {
  try {
    const cv::Mat levelled = rotate_keep_all(shape, angle_deg, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::Mat binary = levelled > 0.35;
    // Join the letters of a line (not the lines): a wide, flat closing.
    cv::Mat joined;
    cv::morphologyEx(binary, joined, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 3)));
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
    struct Line {
      cv::Rect box;
      double mass = 0.0;
    };
    std::vector<Line> lines;
    for (int i = 1; i < count; ++i) {
      const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                         stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
      if (box.height < 6 || box.height > 300 || box.width < 2 * box.height) continue;
      if (box.x <= 1 || box.y <= 1 || box.x + box.width >= levelled.cols - 1 || box.y + box.height >= levelled.rows - 1) {
        continue;
      }
      lines.push_back({box, cv::sum(levelled(box))[0]});
    }
    std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.mass > b.mass; });
    if (lines.size() > static_cast<std::size_t>(max_lines)) lines.resize(static_cast<std::size_t>(max_lines));
    MarkText best;
    if (lines.empty()) return best;
    WM_ASSIGN_OR_RETURN(TessPtr api, start_tesseract());
    std::map<std::string, std::pair<int, double>> tally;  // reading -> (votes, summed confidence)
    for (const Line& line : lines) {
      if (stop && stop()) break;
      const int margin = std::max(4, line.box.height / 2);
      const cv::Rect crop = (line.box + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
                            cv::Rect(0, 0, levelled.cols, levelled.rows);
      cv::Mat patch;
      levelled(crop).convertTo(patch, CV_8U, -255.0 / 0.8, 255.0);  // 1 -> black, 0 -> white
      // A line blob is about the font's pixel size tall; aim for ~50 px, i.e. x-height ~25 px.
      const double scale = std::clamp(50.0 / line.box.height, 1.0, 8.0);
      cv::Mat upscaled;
      cv::resize(patch, upscaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
      WM_ASSIGN_OR_RETURN(MarkText one, read_one(*api, upscaled));
      ++best.lines_read;
      if (one.text.size() < 2) continue;
      auto& entry = tally[one.text];
      entry.first += 1;
      entry.second += one.confidence;
    }
    int best_votes = 0;
    double best_conf = -1.0;
    for (const auto& [text, vc] : tally) {
      const double mean_conf = vc.second / vc.first;
      if (vc.first > best_votes || (vc.first == best_votes && mean_conf > best_conf)) {
        best_votes = vc.first;
        best_conf = mean_conf;
        best.text = text;
      }
    }
    best.votes = best_votes;
    best.confidence = std::max(0.0, best_conf);
    best.kind = classify_text(best.text);
    return best;
  } catch (const std::exception& e) {
    return Status::internal(std::string("OCR: ") + e.what());
  }
}

}  // namespace wm::video
