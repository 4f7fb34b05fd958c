// SHA-256 (FIPS 180-4), for file identity in reports and the resumable-scan cache.
#ifndef WM_CORE_SHA256_H_
#define WM_CORE_SHA256_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "wm/status.h"

namespace wm::core {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::uint8_t> bytes);
  void update(std::string_view text) {
    update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  std::array<std::uint8_t, 32> digest();  // finishes; the object must not be updated after
  std::string hex_digest();

 private:
  void compress(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// Hex SHA-256 of a whole file, read in 1 MiB blocks; io_error naming the file on failure.
Result<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace wm::core

#endif  // WM_CORE_SHA256_H_
