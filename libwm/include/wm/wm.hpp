// Everything a C++ host needs: #include "wm/wm.hpp".
#ifndef WM_WM_HPP_
#define WM_WM_HPP_
#include "wm/log.h"
#include "wm/report.h"
#include "wm/scan.h"
#include "wm/status.h"
#include "wm/version.h"
#include "wm/write.h"
#endif  // WM_WM_HPP_
