#include "dsp/fft.h"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <utility>

namespace wm::dsp {

namespace {

enum class PlanKind { kForwardReal, kInverseReal };

// Plans live for the process (FFTW plans are small and reused by every scan); the map is
// only touched under the mutex, and a plan once made is immutable, so executing it needs
// no lock.
class PlanCache {
 public:
  fftwf_plan get(std::size_t n, PlanKind kind) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    auto it = plans_.find({n, kind});
    if (it != plans_.end()) return it->second;
    // Plan on scratch buffers so the caller's (possibly unaligned-offset) buffers are never
    // touched by the planner; execution uses the caller's buffers via the new-array API.
    float* real = fftwf_alloc_real(n);
    fftwf_complex* bins = fftwf_alloc_complex(n / 2 + 1);
    const int size = static_cast<int>(n);
    fftwf_plan plan = kind == PlanKind::kForwardReal
                          ? fftwf_plan_dft_r2c_1d(size, real, bins, FFTW_ESTIMATE)
                          : fftwf_plan_dft_c2r_1d(size, bins, real, FFTW_ESTIMATE);
    fftwf_free(real);
    fftwf_free(bins);
    plans_.emplace(std::make_pair(n, kind), plan);
    return plan;
  }

 private:
  std::map<std::pair<std::size_t, PlanKind>, fftwf_plan> plans_;  // under fftw_planner_mutex()
};

PlanCache& cache() {
  static PlanCache* instance = new PlanCache();  // never destroyed: plans outlive all scans
  return *instance;
}

}  // namespace

std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

AlignedFloats::AlignedFloats(std::size_t n) : data_(n ? fftwf_alloc_real(n) : nullptr), size_(n) {
  for (std::size_t i = 0; i < n; ++i) data_[i] = 0.0f;
}
void AlignedFloats::Free::operator()(float* p) const { fftwf_free(p); }

AlignedComplex::AlignedComplex(std::size_t n)
    : data_(n ? reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(n)) : nullptr), size_(n) {
  for (std::size_t i = 0; i < n; ++i) data_[i] = {0.0f, 0.0f};
}
void AlignedComplex::Free::operator()(std::complex<float>* p) const { fftwf_free(p); }

void forward_real_fft(std::size_t n, float* in, std::complex<float>* out) {
  fftwf_execute_dft_r2c(cache().get(n, PlanKind::kForwardReal), in, reinterpret_cast<fftwf_complex*>(out));
}

void inverse_real_fft(std::size_t n, std::complex<float>* in, float* out) {
  fftwf_execute_dft_c2r(cache().get(n, PlanKind::kInverseReal), reinterpret_cast<fftwf_complex*>(in), out);
}

}  // namespace wm::dsp
