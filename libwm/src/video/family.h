// The "video" detector family: what the scan pipeline needs to list and run it.
#ifndef WM_VIDEO_FAMILY_H_
#define WM_VIDEO_FAMILY_H_

#include <memory>
#include <vector>

#include "core/detector.h"
#include "wm/scan.h"

namespace wm::video {

DetectorDescription describe_video_family();

// The family's detectors, configured from options.parameters ("video.*").
Result<std::vector<std::unique_ptr<core::VideoDetector>>> make_video_detectors(const ScanOptions& options);

}  // namespace wm::video

#endif  // WM_VIDEO_FAMILY_H_
