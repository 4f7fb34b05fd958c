// The threading contract of wm/scan.h: many scans at once in one process, each thread with
// its own options, give exactly the reports the same scans give one after another.
//
// Eight threads each scan every input (fixtures and samples/) with their own ScanOptions:
// different detector families, video sampling and OCR settings, metadata limits. The
// parallel run comes first, so the shared FFT plan caches and Tesseract start cold while
// other threads race into them; the serial run afterwards is the reference. Reports are
// compared as their JSON line with values shown (no field of a report depends on time).
// Built with -DWM_SANITIZE=thread this is the ThreadSanitizer target (`make tsan`).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "wm/log.h"
#include "wm/scan.h"
#include "wm/write.h"

namespace wm {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs() {
  const fs::path data(WM_TEST_DATA_DIR), samples = fs::path(WM_SOURCE_DIR) / "samples";
  return {data / "meta.mp4",        data / "meta.mov",          data / "meta.mkv",
          data / "meta.wav",        data / "meta.mp3",          data / "clean.mp4",
          data / "bad/truncated.mp4", samples / "interview.mp4", samples / "lecture.mkv",
          samples / "podcast.mp3",  samples / "field-recording.wav"};
}

ScanOptions options_for(int thread) {
  ScanOptions o;
  switch (thread % 8) {
    case 0:
      break;  // every family, defaults
    case 1:
      o.detectors = {"meta"};
      o.inspect_neighbours = false;
      break;
    case 2:
      o.detectors = {"audio"};
      o.parameters = {{"audio.artifacts", "false"}};
      break;
    case 3:
      o.detectors = {"video"};
      o.parameters = {{"video.min_interval_s", "0.25"}, {"video.ocr", "false"}};
      break;
    case 4:
      o.detectors = {"meta", "audio"};
      o.max_metadata_bytes = 4096;
      break;
    case 5:
      o.detectors = {"video"};
      o.parameters = {{"video.max_width_px", "320"}, {"video.reservoir_frames", "8"}};
      break;
    case 6:
      o.parameters = {{"video.artifacts", "false"}, {"video.min_interval_s", "1"}};
      break;
    case 7:
      o.detectors = {"meta", "video"};
      o.inspect_neighbours = false;
      o.parameters = {{"video.min_lattice_strength", "0.3"}};
      break;
  }
  // Keep only what this build has: a family that is not built is an invalid_argument error.
  std::set<std::string> built;
  for (const auto& d : available_detectors()) built.insert(d.id);
  std::set<std::string> kept;
  for (const auto& id : o.detectors) {
    if (built.contains(id)) kept.insert(id);
  }
  if (!o.detectors.empty() && kept.empty()) kept = {"meta"};
  o.detectors = kept;
  for (auto it = o.parameters.begin(); it != o.parameters.end();) {
    it = built.contains(it->first.substr(0, it->first.find('.'))) ? std::next(it) : o.parameters.erase(it);
  }
  return o;
}

// The scan as one JSON line with values shown, or the error, so both compare.
std::string scan_as_json(const fs::path& file, const ScanOptions& options, std::size_t* streamed_findings) {
  std::size_t streamed = 0;
  ScanHooks hooks;
  hooks.on_finding = [&](const Finding&) { ++streamed; };
  hooks.on_progress = [](const Progress&) {};
  hooks.is_cancelled = [] { return false; };
  auto report = scan_file(file, options, hooks);
  if (streamed_findings) *streamed_findings = streamed;
  if (!report.is_ok()) return "error: " + report.status().message();
  std::ostringstream out;
  WriteOptions write;
  write.show_values = true;
  const Status written = write_jsonl_record(out, *report, write);
  if (!written.is_ok()) return "write error: " + written.message();
  return out.str();
}

constexpr int kThreads = 8;

TEST(ThreadingTest, ParallelScansWithTheirOwnOptionsEqualSerialScans) {
  const std::vector<fs::path> files = inputs();
  for (const auto& f : files) ASSERT_TRUE(fs::exists(f)) << f;

  // parallel[t][i]: thread t's scan of files[i]; each thread starts at a different file.
  std::vector<std::vector<std::string>> parallel(kThreads, std::vector<std::string>(files.size()));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const ScanOptions options = options_for(t);  // this thread's own copy
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();  // start together
      for (std::size_t k = 0; k < files.size(); ++k) {
        const std::size_t i = (k + static_cast<std::size_t>(t)) % files.size();
        parallel[t][i] = scan_as_json(files[i], options, nullptr);
      }
    });
  }
  for (auto& th : threads) th.join();

  for (int t = 0; t < kThreads; ++t) {
    const ScanOptions options = options_for(t);
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string serial = scan_as_json(files[i], options, nullptr);
      EXPECT_EQ(parallel[t][i], serial) << "thread " << t << ", " << files[i];
      EXPECT_EQ(serial.rfind("error", 0), std::string::npos) << files[i] << ": " << serial;
    }
  }
}

// Different options must give different reports somewhere, or the test above would also pass
// if every thread silently used the same options.
TEST(ThreadingTest, TheOptionSetsAreReallyDifferent) {
  const fs::path file = fs::path(WM_SOURCE_DIR) / "samples" / "interview.mp4";
  std::set<std::string> distinct;
  for (int t = 0; t < kThreads; ++t) distinct.insert(scan_as_json(file, options_for(t), nullptr));
  EXPECT_GE(distinct.size(), 5u);
}

// Sessions on several threads at once (one Session per thread, as the contract says).
TEST(ThreadingTest, SessionsOnSeveralThreads) {
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      StreamInfo info;
      info.name = "live " + std::to_string(t);
      info.has_audio = true;
      info.sample_rate_hz = 48000;
      info.channels = 1;
      ScanOptions options;
      options.detectors = {"meta"};
      auto session = Session::create(info, options);
      if (!session.is_ok()) {
        results[t] = session.status().message();
        return;
      }
      std::vector<float> silence(4800, 0.0f);
      for (int block = 0; block < 10; ++block) {
        if (!session->feed_audio({silence.data(), silence.size(), 1, block * 0.1}).is_ok()) return;
      }
      if (!session->add_metadata({{"artist", "Jane Doe"}, {"comment", "mail jane.doe@example.com"}}).is_ok()) return;
      auto report = session->finish();
      results[t] = report.is_ok() ? std::to_string(report->findings.size()) + " findings" : report.status().message();
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(results[t], results[0]);
  EXPECT_NE(results[0], "0 findings");
}

// FFmpeg's log lines reach a routed sink from every scanning thread (and FFmpeg's own
// threads) at once; the sink here is thread-safe as wm/log.h requires.
TEST(ThreadingTest, RoutedFfmpegLogUnderParallelScans) {
  std::mutex mutex;
  std::size_t lines = 0;
  route_ffmpeg_log([&](LogLevel, std::string_view) {
    std::lock_guard<std::mutex> lock(mutex);
    ++lines;
  }, LogLevel::kDebug);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      ScanOptions options;
      options.inspect_neighbours = false;
      (void)scan_file(fs::path(WM_TEST_DATA_DIR) / "bad/truncated.mp4", options);
      (void)scan_file(fs::path(WM_SOURCE_DIR) / "samples" / "interview.mp4", options);
    });
  }
  for (auto& th : threads) th.join();
  route_ffmpeg_log({});  // back to silence; the sink above goes out of scope
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_GT(lines, 0u);
}

}  // namespace
}  // namespace wm
