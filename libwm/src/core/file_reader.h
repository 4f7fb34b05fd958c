// Bounded random-access reads of a file opened read-only.
//
// Every structure walker reads through this class, so a lying size field can never make it
// read outside the file: read_at() clamps to the file's end and reports how much it got.
// Not thread-safe: one reader per scan.
#ifndef WM_CORE_FILE_READER_H_
#define WM_CORE_FILE_READER_H_

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "wm/status.h"

namespace wm::core {

class FileReader {
 public:
  // Opens `path` for reading ("rb"); fails with not_found / io_error naming the file.
  static Result<FileReader> open(const std::filesystem::path& path);

  std::uint64_t size_bytes() const { return size_bytes_; }
  const std::string& display_name() const { return display_name_; }

  // Reads up to `length` bytes at `offset` into `out` (resized to what was read). Reading at
  // or past the end gives an empty buffer, not an error; a device error is an io_error.
  Status read_at(std::uint64_t offset, std::size_t length, std::vector<std::uint8_t>& out);

  // Reads exactly `length` bytes or fails with corrupt_input naming `what`.
  Status read_exact(std::uint64_t offset, std::size_t length, std::vector<std::uint8_t>& out,
                    const std::string& what);

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const {
      if (f) std::fclose(f);
    }
  };
  FileReader(std::unique_ptr<std::FILE, FileCloser> file, std::uint64_t size, std::string name)
      : file_(std::move(file)), size_bytes_(size), display_name_(std::move(name)) {}

  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t size_bytes_ = 0;
  std::string display_name_;
};

// Big- and little-endian loads from a byte buffer; the caller guarantees bounds.
inline std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline std::uint64_t load_be64(const std::uint8_t* p) {
  return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}
inline std::uint16_t load_be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}
inline std::uint64_t load_le64(const std::uint8_t* p) {
  return std::uint64_t{load_le32(p)} | (std::uint64_t{load_le32(p + 4)} << 32);
}

}  // namespace wm::core

#endif  // WM_CORE_FILE_READER_H_
