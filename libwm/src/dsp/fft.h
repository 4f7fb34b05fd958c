// Real FFTs through FFTW with a shared plan cache (STYLE.md rule 7).
//
// One process-wide cache keyed by (size, kind) holds FFTW plans made with FFTW_ESTIMATE (so
// results are reproducible). Only planning takes the lock; execution uses the new-array
// execute functions on buffers the caller owns, so any number of threads can run transforms
// at once. Buffers must come from AlignedFloats/AlignedComplex (fftwf_malloc alignment).
#ifndef WM_DSP_FFT_H_
#define WM_DSP_FFT_H_

#include <complex>
#include <cstddef>
#include <memory>
#include <mutex>

namespace wm::dsp {

// FFTW's planner is process-global and not thread-safe (only the execute functions are):
// every plan cache in the library (here, grid2d.cpp) plans while holding this one mutex, so
// concurrent scans never plan at the same time even when they need different kinds of plan.
std::mutex& fftw_planner_mutex();

// An fftwf_malloc'd float buffer (SIMD-aligned), zero-initialised.
class AlignedFloats {
 public:
  explicit AlignedFloats(std::size_t n = 0);
  AlignedFloats(AlignedFloats&&) noexcept = default;
  AlignedFloats& operator=(AlignedFloats&&) noexcept = default;
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  float& operator[](std::size_t i) { return data_[i]; }
  float operator[](std::size_t i) const { return data_[i]; }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float[], Free> data_;
  std::size_t size_ = 0;
};

class AlignedComplex {
 public:
  explicit AlignedComplex(std::size_t n = 0);
  AlignedComplex(AlignedComplex&&) noexcept = default;
  AlignedComplex& operator=(AlignedComplex&&) noexcept = default;
  std::complex<float>* data() { return data_.get(); }
  const std::complex<float>* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::complex<float>& operator[](std::size_t i) { return data_[i]; }
  const std::complex<float>& operator[](std::size_t i) const { return data_[i]; }

 private:
  struct Free {
    void operator()(std::complex<float>* p) const;
  };
  std::unique_ptr<std::complex<float>[], Free> data_;
  std::size_t size_ = 0;
};

// Forward real FFT of size n: `in` has n floats, `out` n/2+1 complex bins (unnormalised).
// Inverse: `in` n/2+1 bins, `out` n floats, scaled by n (FFTW convention).
// Thread-safe; the first call for a size plans (under a lock), later calls only execute.
void forward_real_fft(std::size_t n, float* in, std::complex<float>* out);
void inverse_real_fft(std::size_t n, std::complex<float>* in, float* out);

}  // namespace wm::dsp

#endif  // WM_DSP_FFT_H_
