// Shared helpers of the container walker tests: byte building, a temporary file that holds
// the bytes, and running a walker over it through core::FileReader.
#ifndef WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_
#define WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/file_reader.h"
#include "meta/field.h"

namespace wm::meta::testing_util {

using Bytes = std::vector<std::uint8_t>;

inline Bytes str(std::string_view s) { return Bytes(s.begin(), s.end()); }

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A uniquely named file with `bytes` in it, removed when the object goes.
class TempFile {
 public:
  explicit TempFile(const Bytes& bytes) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("wm_walker_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".bin");
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to a file and runs `walker(reader, max_payload_bytes)` over it.
template <class Walker>
WalkResult walk_file(const Bytes& bytes, Walker walker, std::uint64_t max_payload_bytes) {
  TempFile file(bytes);
  auto reader = core::FileReader::open(file.path());
  EXPECT_TRUE(reader.is_ok()) << reader.status().message();
  if (!reader.is_ok()) return {};
  return walker(*reader, max_payload_bytes);
}

// The bytes of a file ffmpeg writes from `input_and_codec_args` (e.g. "-f lavfi -i sine=duration=2
// -c:a pcm_s16le") into a temporary file named with `extension`; empty when ffmpeg fails.
inline Bytes ffmpeg_written(const std::string& input_and_codec_args, const std::string& extension) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("wm_walker_ffmpeg_" + std::to_string(::getpid()) + extension);
  const std::string command = "ffmpeg -nostdin -v error -y " + input_and_codec_args + " \"" + path.string() + "\"";
  Bytes bytes;
  if (std::system(command.c_str()) == 0) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return bytes;
}

// Runs walk_container over a whole file, which must raise no issue, and returns what it says
// of the file's first half: a file cut short.
template <class WalkContainer>
WalkResult walk_whole_then_first_half(const Bytes& bytes, WalkContainer walk_container) {
  const auto walk = [&](core::FileReader& r, std::uint64_t max_bytes) { return walk_container(r, max_bytes); };
  const WalkResult whole = walk_file(bytes, walk, 1u << 20);
  EXPECT_TRUE(whole.issues.empty()) << whole.issues.front().message;
  return walk_file(Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 2)), walk, 1u << 20);
}

inline std::string issues_text(const WalkResult& r) {
  std::string s;
  for (const WalkIssue& i : r.issues) s += i.message + (i.truncated ? " [truncated]\n" : "\n");
  return s;
}

}  // namespace wm::meta::testing_util

#endif  // WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_
