// Resampler: interleaved float32 audio at one rate to interleaved float32 at another, through
// libswresample (the io module is the only place that includes FFmpeg headers).
//
// Call order: create(), then process() for each block in order, then flush() once for the
// frames still held in the filter's delay line. Counts are frames (multi-channel sample
// frames), not samples. Output is appended to `out` (interleaved, same channel count).
// Movable, not copyable; one thread at a time. No FFmpeg header is included here.
#ifndef WM_IO_RESAMPLER_H_
#define WM_IO_RESAMPLER_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "wm/status.h"

namespace wm::io {

class Resampler {
 public:
  // invalid_argument for rates outside 1..768000 Hz or channels outside 1..64; unsupported
  // when libswresample refuses the conversion.
  static Result<Resampler> create(int channels, int in_rate_hz, int out_rate_hz);

  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  ~Resampler();

  // `in` holds `frames` frames of channels() values each.
  Status process(const float* in, std::size_t frames, std::vector<float>& out);
  // Drains the delay line; process() after flush() is an invalid_argument error.
  Status flush(std::vector<float>& out);

  int channels() const;
  int in_rate_hz() const;
  int out_rate_hz() const;

 private:
  struct Impl;
  explicit Resampler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wm::io

#endif  // WM_IO_RESAMPLER_H_
