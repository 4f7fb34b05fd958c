#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "wm/scan.h"

namespace wm {
namespace {

TEST(SessionTest, MetadataPushedByTheHostIsClassified) {
  StreamInfo info{.name = "live capture", .has_audio = true, .sample_rate_hz = 48000, .channels = 2};
  auto session = Session::create(info, {});
  ASSERT_TRUE(session.is_ok()) << session.status().message();
  ASSERT_TRUE(session->add_metadata({{"artist", "Jane Doe"}, {"encoder", "OBS 30"}}).is_ok());
  std::vector<float> pcm(2 * 480, 0.25f);
  ASSERT_TRUE(session->feed_audio({pcm.data(), 480, 2, 0.0}).is_ok());
  auto report = session->finish();
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->path, "live capture");
  ASSERT_EQ(report->findings.size(), 2u);
  EXPECT_EQ(report->findings[0].detector, "meta.person");
  EXPECT_EQ(report->findings[1].detector, "meta.software");
  EXPECT_NEAR(report->duration_s, 0.01, 1e-9);
  EXPECT_FALSE(session->finish().is_ok()) << "finish twice must fail";
}

TEST(SessionTest, BadViewsAreRejectedNotCrashed) {
  StreamInfo info{.name = "x", .has_audio = true, .sample_rate_hz = 8000, .channels = 1,
                  .has_video = true, .width = 4, .height = 2};
  auto session = Session::create(info, {});
  ASSERT_TRUE(session.is_ok());
  EXPECT_FALSE(session->feed_audio({nullptr, 10, 1, 0.0}).is_ok());
  std::vector<float> stereo(20, 0.f);
  EXPECT_FALSE(session->feed_audio({stereo.data(), 10, 2, 0.0}).is_ok());
  std::vector<float> nan(10, std::numeric_limits<float>::quiet_NaN());
  EXPECT_TRUE(session->feed_audio({nan.data(), 10, 1, 0.0}).is_ok()) << "NaN samples are data, not an API error";
  std::vector<std::uint8_t> px(8, 0);
  EXPECT_TRUE(session->feed_video({px.data(), 4, 2, 4, PixelFormat::kGray8, 0.0}).is_ok());
  EXPECT_FALSE(session->feed_video({px.data(), 4, 2, 3, PixelFormat::kGray8, 0.0}).is_ok());
  EXPECT_FALSE(session->feed_video({px.data(), 5, 2, 5, PixelFormat::kGray8, 0.0}).is_ok());
  EXPECT_FALSE(session->feed_video({nullptr, 4, 2, 4, PixelFormat::kGray8, 0.0}).is_ok());
  EXPECT_FALSE(Session::create({.name = "y", .has_audio = true}, {}).is_ok());
}

TEST(OptionsTest, UnknownDetectorOrParameterIsAnInvalidArgument) {
  ScanOptions options;
  options.detectors = {"meta", "telepathy"};
  auto r = scan_file("whatever.mp4", options);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("telepathy"), std::string::npos);
  ScanOptions bad_param;
  bad_param.parameters["meta.max_metadata_bytes"] = "12";
  EXPECT_EQ(scan_file("whatever.mp4", bad_param).status().code(), StatusCode::kInvalidArgument);
}

TEST(RegistryTest, OnlyBuiltFamiliesAreListed) {
  const auto detectors = available_detectors();
  ASSERT_GE(detectors.size(), 1u);
  EXPECT_EQ(detectors[0].id, "meta");
  for (const auto& d : detectors) {
    EXPECT_TRUE(d.id == "meta" || d.id == "audio" || d.id == "video") << d.id;
    EXPECT_FALSE(d.parameters.empty()) << d.id;
    EXPECT_FALSE(d.finding_ids.empty()) << d.id;
  }
}

}  // namespace
}  // namespace wm
