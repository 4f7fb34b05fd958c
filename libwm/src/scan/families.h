// The stream-reading detector families (audio, video) as the pipeline and Session see them:
// built ones are listed and created here; unbuilt ones do not exist (never faked).
#ifndef WM_SCAN_FAMILIES_H_
#define WM_SCAN_FAMILIES_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/detector.h"
#include "wm/scan.h"

namespace wm::scan {

// Descriptions of the built stream families, in a fixed order (audio, video).
std::vector<DetectorDescription> stream_family_descriptions();

struct StreamDetectors {
  std::vector<std::unique_ptr<core::AudioDetector>> audio;
  std::vector<std::unique_ptr<core::VideoDetector>> video;
};

// Detectors of the enabled families; invalid_argument for a bad "audio.*"/"video.*" parameter.
Result<StreamDetectors> make_stream_detectors(const std::set<std::string>& families, const ScanOptions& options);

// True for parameter names owned by a built stream family ("audio.", "video." prefixes).
bool is_stream_family_parameter(const std::string& name);

// The one sampling request that satisfies every video detector: the shortest interval, the
// largest widths and the smallest limit on scaling down, colour if any detector wants colour.
core::VideoSamplingRequest merged_sampling(const std::vector<std::unique_ptr<core::VideoDetector>>& video);

// Feeds `frame` to `detector`, converting BGR to gray when the detector asked for gray.
Status feed_video_as_requested(core::VideoDetector& detector, const FrameView& frame, std::vector<std::uint8_t>& scratch);

}  // namespace wm::scan

#endif  // WM_SCAN_FAMILIES_H_
