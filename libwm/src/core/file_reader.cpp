#include "core/file_reader.h"

#include <cerrno>
#include <cstring>
#include <system_error>

namespace wm::core {

Result<FileReader> FileReader::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return Status::not_found(name + ": no such file");
  }
  if (std::filesystem::is_directory(st)) {
    return Status::io_error(name + ": is a directory");
  }
  std::unique_ptr<std::FILE, FileCloser> file{std::fopen(name.c_str(), "rb")};
  if (!file) {
    return Status::io_error(name + ": cannot open: " + std::strerror(errno));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::io_error(name + ": cannot read size: " + ec.message());
  return FileReader(std::move(file), size, name);
}

Status FileReader::read_at(std::uint64_t offset, std::size_t length, std::vector<std::uint8_t>& out) {
  out.clear();
  if (offset >= size_bytes_ || length == 0) return Status::ok();
  const std::uint64_t available = size_bytes_ - offset;
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(length, available));
  if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
    return Status::io_error(display_name_ + ": seek failed: " + std::strerror(errno));
  }
  out.resize(n);
  const std::size_t got = std::fread(out.data(), 1, n, file_.get());
  out.resize(got);
  if (got < n && std::ferror(file_.get())) {
    return Status::io_error(display_name_ + ": read failed: " + std::strerror(errno));
  }
  return Status::ok();
}

Status FileReader::read_exact(std::uint64_t offset, std::size_t length, std::vector<std::uint8_t>& out,
                              const std::string& what) {
  WM_RETURN_IF_ERROR(read_at(offset, length, out));
  if (out.size() != length) {
    return Status::corrupt_input(display_name_ + ": " + what + " at offset " + std::to_string(offset) +
                                 " runs past the end of the file");
  }
  return Status::ok();
}

}  // namespace wm::core
