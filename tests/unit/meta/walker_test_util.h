// Shared helpers of the container walker tests: byte building, a temporary file that holds
// the bytes, and running a walker over it through core::FileReader.
#ifndef WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_
#define WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
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

inline std::string issues_text(const WalkResult& r) {
  std::string s;
  for (const WalkIssue& i : r.issues) s += i.message + (i.truncated ? " [truncated]\n" : "\n");
  return s;
}

}  // namespace wm::meta::testing_util

#endif  // WM_TESTS_UNIT_META_WALKER_TEST_UTIL_H_
