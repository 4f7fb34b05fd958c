// A host written in C++ that uses the installed libwm through find_package(wm).
// Usage: consumer_cpp FILE - prints the report as JSON; exit 0 if the scan produced a report.
#include <iostream>

#include "wm/wm.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " FILE\n";
    return 2;
  }
  wm::ScanOptions options;
  options.inspect_neighbours = false;
  auto report = wm::scan_file(argv[1], options);
  if (!report.is_ok()) {
    std::cerr << report.status().message() << "\n";
    return 1;
  }
  const wm::Status written = wm::write_reports(std::cout, {*report}, wm::OutputFormat::kJson, {});
  return written.is_ok() ? 0 : 1;
}
