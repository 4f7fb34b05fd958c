// Cancellation and progress as wm/scan.h promises them, on a long input made at test time.
//
// The promise: a cancel raised from another thread stops a scan within 250 ms of work and the
// scan returns a Report marked incomplete. Wall-clock time is useless on a shared machine, so
// the work is measured as CPU time of the process between the moment the flag is set and the
// moment scan_file returns (the canceller only waits meanwhile): time spent waiting for a
// core is not counted, and the work of FFmpeg's and OpenCV's worker threads is.
//
// Measured (printed by every run as "cpu after cancel"; 2 shared cores, load ~7):
//   Debug + ASan/UBSan (CI):  at 0.3 (media pass) 0.02 s, at 0.95 (audio analysis) 0.04 s,
//                             at 0.985 (video analysis) 0.02 s; the whole scan 2.5-5 s.
//   Release (-O3, no sanitizer): at 0.3 0.02 s, at 0.95 0.05-0.06 s, at 0.985 < 0.001 s; the
//                             whole scan 0.4-1.5 s (two runs each, 2026-12-01).
//   Re-measured late on 2026-12-01 (audio 1.6, video 0.6): Debug + ASan/UBSan at 0.95
//   1.15 s (the audio stages poll the flag only between long steps; 2.8 s under load with the
//   table-driven AES rounds, since reverted), at 0.3 and 0.985 ~0.1 s; RelWithDebInfo ~0.09 s
//   at each stage.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wm/scan.h"

namespace wm {
namespace {

namespace fs = std::filesystem;

// 250 ms is the promise for an optimised build. Sanitizers and -O0 slow our own code (not
// FFmpeg's, OpenCV's or Tesseract's, which come from the system) several times over, so
// instrumented builds get a proportionally larger budget.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__OPTIMIZE__)
constexpr double kSlowdown = 10.0;
#else
constexpr double kSlowdown = 1.0;
#endif
constexpr double kBudgetS = 0.25 * kSlowdown;

double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// 60 s of 1280x720 testsrc2 at 10 fps (x264) with a 440 Hz tone (AAC): long enough that the
// audiowmark detector analyses a whole block at the end and the video statistics run over a
// full reservoir. Made once per build directory (a lock serialises ctest's processes; the file
// appears under its final name only when complete).
fs::path long_input() {
  const fs::path dir = fs::path(WM_TEST_DATA_DIR) / "cancel";
  const fs::path file = dir / "long_720p_60s.mp4";
  fs::create_directories(dir);
  const std::string lock_path = (dir / ".lock").string();
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  if (!fs::exists(file)) {
    const fs::path partial = dir / ("partial-" + std::to_string(::getpid()) + ".mp4");
    const std::string command =
        "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=10:duration=60 "
        "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=60 -c:v libx264 -preset ultrafast -crf 38 "
        "-g 20 -c:a aac -b:a 96k -shortest '" +
        partial.string() + "'";
    if (std::system(command.c_str()) == 0) fs::rename(partial, file);
  }
  if (lock >= 0) ::close(lock);
  return file;
}

struct ProgressLog {
  std::vector<Progress> calls;
};

struct CancelRun {
  Result<Report> report = Status::internal("not run");
  ProgressLog progress;
  double cpu_after_cancel_s = -1.0;  // -1: the cancel was never raised
  double cpu_total_s = 0.0;
  bool polled_after_cancel = false;
};

// Scans `file` on its own thread; a second thread raises the cancel once progress has
// reached `cancel_at` (the scan itself only signals; it never cancels itself).
CancelRun scan_and_cancel_at(const fs::path& file, double cancel_at) {
  CancelRun run;
  std::atomic<bool> cancel{false};
  std::atomic<bool> polled_after{false};
  std::mutex mutex;
  std::condition_variable reached;
  bool reached_point = false, scan_over = false;

  ScanHooks hooks;
  hooks.on_progress = [&](const Progress& p) {
    run.progress.calls.push_back(p);
    if (p.fraction >= cancel_at && p.stage != "done") {
      std::lock_guard<std::mutex> lock(mutex);
      reached_point = true;
      reached.notify_all();
    }
  };
  hooks.is_cancelled = [&] {
    const bool c = cancel.load(std::memory_order_acquire);
    if (c) polled_after.store(true);
    return c;
  };

  const double cpu_before_s = process_cpu_s();
  std::thread scanner([&] {
    ScanOptions options;
    options.inspect_neighbours = false;
    run.report = scan_file(file, options, hooks);
    run.cpu_total_s = process_cpu_s() - cpu_before_s;
    std::lock_guard<std::mutex> lock(mutex);
    scan_over = true;
    reached.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    reached.wait(lock, [&] { return reached_point || scan_over; });
    if (!scan_over) {
      // The scanner keeps running while we read the clock: that work counts against it.
      const double at_cancel_s = process_cpu_s() - cpu_before_s;
      cancel.store(true, std::memory_order_release);
      lock.unlock();
      scanner.join();
      run.cpu_after_cancel_s = run.cpu_total_s - at_cancel_s;
    } else {
      lock.unlock();
      scanner.join();
    }
  }
  run.polled_after_cancel = polled_after.load();
  return run;
}

void expect_progress_contract(const ProgressLog& log) {
  ASSERT_FALSE(log.calls.empty());
  for (std::size_t i = 1; i < log.calls.size(); ++i) {
    EXPECT_GE(log.calls[i].fraction, log.calls[i - 1].fraction) << "call " << i << " (" << log.calls[i].stage << ")";
  }
  // Throttle (scan.h): a call per 1 % of progress or per stage change, so never more than
  // 100 + the five stages (open, metadata, media, analysis, done).
  EXPECT_LE(log.calls.size(), 105u);
  EXPECT_EQ(log.calls.back().stage, "done");
  EXPECT_EQ(log.calls.back().fraction, 1.0);
  for (std::size_t i = 0; i + 1 < log.calls.size(); ++i) EXPECT_NE(log.calls[i].stage, "done");
}

class CancelTest : public ::testing::TestWithParam<double> {
 protected:
  static void SetUpTestSuite() { input_ = long_input(); }
  static fs::path input_;
};
fs::path CancelTest::input_;

// 0.3: in the media pass (decoding and feeding the detectors). 0.95: the media pass is over
// and the detectors' final analyses start (audiowmark's block search first, the video
// statistics and OCR last). 0.985: the video analysis.
TEST_P(CancelTest, CancelFromAnotherThreadStopsSoonWithAnIncompleteReport) {
  ASSERT_TRUE(fs::exists(input_)) << "could not make " << input_ << " with ffmpeg";
  const double cancel_at = GetParam();
  const CancelRun run = scan_and_cancel_at(input_, cancel_at);
  ASSERT_TRUE(run.report.is_ok()) << run.report.status().message();
  const Report& report = *run.report;
  ASSERT_GE(run.cpu_after_cancel_s, 0.0) << "the scan ended before progress reached " << cancel_at;
  std::printf("cancel at %.3f: cpu after cancel %.3f s (budget %.3f s), whole scan %.3f s cpu, %zu progress calls\n",
              cancel_at, run.cpu_after_cancel_s, kBudgetS, run.cpu_total_s, run.progress.calls.size());
  EXPECT_TRUE(run.polled_after_cancel) << "the scan never looked at the cancel";
  EXPECT_FALSE(report.complete);
  EXPECT_EQ(report.status, ScanStatus::kPartial);
  ASSERT_FALSE(report.errors.empty());
  EXPECT_NE(report.errors.front().find("cancelled"), std::string::npos) << report.errors.front();
  EXPECT_LE(run.cpu_after_cancel_s, kBudgetS);
  expect_progress_contract(run.progress);
}

INSTANTIATE_TEST_SUITE_P(AtStages, CancelTest, ::testing::Values(0.3, 0.95, 0.985));

TEST(ProgressTest, OrderedThrottledAndEndsWithDone) {
  ProgressLog log;
  ScanHooks hooks;
  hooks.on_progress = [&](const Progress& p) { log.calls.push_back(p); };
  ScanOptions options;
  options.inspect_neighbours = false;
  auto report = scan_file(fs::path(WM_SOURCE_DIR) / "samples" / "interview.mp4", options, hooks);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_TRUE(report->complete);
  expect_progress_contract(log);
  const auto has_stage = [&](const char* stage) {
    return std::any_of(log.calls.begin(), log.calls.end(), [&](const Progress& p) { return p.stage == stage; });
  };
  EXPECT_TRUE(has_stage("open"));
  EXPECT_TRUE(has_stage("media"));
}

TEST(ProgressTest, ACancelSeenOnceIsNotAskedAgain) {
  int asked = 0, asked_after_yes = 0;
  bool said_yes = false;
  ScanHooks hooks;
  hooks.is_cancelled = [&] {
    if (said_yes) ++asked_after_yes;
    said_yes = ++asked >= 3;  // the third poll says stop
    return said_yes;
  };
  ScanOptions options;
  options.inspect_neighbours = false;
  auto report = scan_file(fs::path(WM_SOURCE_DIR) / "samples" / "interview.mp4", options, hooks);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_FALSE(report->complete);
  EXPECT_TRUE(said_yes);
  EXPECT_EQ(asked_after_yes, 0);
}

}  // namespace
}  // namespace wm
