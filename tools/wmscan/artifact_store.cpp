#include "artifact_store.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <system_error>
#include <unistd.h>

namespace wmscan {
namespace {

constexpr std::uintmax_t kMaxArtifactBytes = 16u << 20;

// Keeps names portable and inside their folder: letters, digits, '.', '-', '_'.
std::string safe_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), 'a');
  return out;
}

// FNV-1a, 64 bit: a stable folder name for files scanned without --cache/hashing.
std::string path_id(const std::string& path) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : path) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static const char* kHex = "0123456789abcdef";
  std::string out = "p";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xf];
  return out;
}

bool has_signature(const std::string& media_type, const std::vector<std::uint8_t>& bytes) {
  auto starts = [&](std::initializer_list<std::uint8_t> sig) {
    return bytes.size() >= sig.size() && std::equal(sig.begin(), sig.end(), bytes.begin());
  };
  if (media_type == "image/png") return starts({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  if (media_type == "image/jpeg") return starts({0xff, 0xd8, 0xff});
  return false;
}

}  // namespace

std::string store_artifacts(const std::filesystem::path& dir, wm::Report& report) {
  const std::string id = report.sha256.size() >= 16 ? report.sha256.substr(0, 16) : path_id(report.path);
  const std::filesystem::path folder = dir / (safe_name(std::filesystem::path(report.path).stem().string()) + "-" + id);
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    for (wm::Artifact& a : report.findings[i].artifacts) {
      if (a.bytes.empty()) continue;
      std::error_code ec;
      std::filesystem::create_directories(folder, ec);
      if (ec) return "cannot create " + folder.string() + ": " + ec.message();
      const std::filesystem::path target = folder / (std::to_string(i + 1) + "_" + safe_name(a.file_name));
      const std::filesystem::path temporary = target.string() + ".tmp" + std::to_string(getpid());
      {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(a.bytes.data()), static_cast<std::streamsize>(a.bytes.size()));
        if (!out.flush()) return "cannot write " + temporary.string();
      }
      std::filesystem::rename(temporary, target, ec);
      if (ec) return "cannot write " + target.string() + ": " + ec.message();
      a.stored_path = target.string();
    }
  }
  return "";
}

void load_stored_artifacts(wm::Report& report) {
  for (wm::Finding& f : report.findings) {
    for (wm::Artifact& a : f.artifacts) {
      if (!a.bytes.empty() || a.stored_path.empty()) continue;
      std::error_code ec;
      const std::filesystem::path path(a.stored_path);
      if (!std::filesystem::is_regular_file(path, ec)) continue;
      const std::uintmax_t size = std::filesystem::file_size(path, ec);
      if (ec || size > kMaxArtifactBytes) continue;
      std::ifstream in(path, std::ios::binary);
      std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (has_signature(a.media_type, bytes)) a.bytes = std::move(bytes);
    }
  }
}

}  // namespace wmscan
