#ifndef WM_VERSION_H_
#define WM_VERSION_H_

#include <string_view>

#define WM_VERSION_MAJOR 0
#define WM_VERSION_MINOR 1
#define WM_VERSION_PATCH 0
#define WM_VERSION_STRING "0.1.0"

namespace wm {
// The library's version at run time ("0.1.0"); compare with WM_VERSION_STRING to detect a
// header/library mismatch.
std::string_view version();
}  // namespace wm

#endif  // WM_VERSION_H_
