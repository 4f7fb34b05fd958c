// The "audio" detector family: what the scan pipeline needs to list and run it.
#ifndef WM_AUDIO_FAMILY_H_
#define WM_AUDIO_FAMILY_H_

#include <memory>
#include <vector>

#include "core/detector.h"
#include "wm/scan.h"

namespace wm::audio {

// Self-description (id "audio", version, finding ids, parameters) for `wmscan detectors`.
DetectorDescription describe_audio_family();

// One detector per enabled audio check, configured from options.parameters ("audio.*");
// invalid_argument for a bad parameter (naming it), e.g. an unreadable audiowmark key file.
Result<std::vector<std::unique_ptr<core::AudioDetector>>> make_audio_detectors(const ScanOptions& options);

}  // namespace wm::audio

#endif  // WM_AUDIO_FAMILY_H_
