// audio.ultrasonic_beacon — near-ultrasonic beacons (17.5–22 kHz) that switch on and off or hop.
//
// Method
//   mono mean ─> frames of ~85 ms (4096 at 44.1/48 kHz, Hann, hop half a frame, ~11 Hz bins)
//     per frame, in the band only: a bin is a *peak* when it is a local maximum (±2 bins),
//     at least kPeakProminenceDb above the median of its neighbourhood (±12 bins without
//     ±2) and above kMinLevelDbfs. Peaks are kept as a sparse list (frame, bin, level), so
//     memory grows by a few bytes per frame, not with the spectrum.
//   at the end: every bin with peaks in >= 0.15 s of frames is a candidate frequency (busiest
//     first, >= 3 bins apart; ±1 bin tolerance), not only the busiest few; each
//     candidate's on/off track is cleaned (1-frame gaps closed) and cut into runs. Runs of
//     0.15–6 s whose level is steady (robust spread 1.4826 x MAD <= 4 dB over the run's
//     interior: the first and last frame hold the tone for part of their window only; this
//     rejects decaying note harmonics) and that do not start and stop together with other band
//     peaks (the harmonics of a note begin and end at once, a beacon tone on its own clock) are
//     bursts (two or more peers starting within ±1 frame of its start and ending within ±1
//     frame of its end make a note; since v1.6 a peer must sound within 30 dB of the run, as
//     a switched tone's edge splatter interrupts partials far under it for a frame, and a rise
//     or fall of > 20 dB at a bin is a start or end too: a chord's partial that falls into a
//     quiet layer at its own frequency ends there), provided the tone is a *line*: over the
//     run, its peaks stand >= 10 dB over the median of the louder side of their neighbourhood
//     (bins 3..12 below or above; v1.5). At a lossy codec's low-pass edge (AAC ~19.3/21.7 kHz, Opus 20 kHz) the encoder keeps or drops
//     its top band frame by frame, and the last bins before the cliff pass the prominence test
//     only because the upper half of their neighbourhood is empty: on broadband content they
//     switched on and off like OOK/FSK trains (codec stress set: the edge runs 0-9 dB over the
//     louder side, 2 of 1,382 beacon bursts under 10 dB); a steady run that is no line still
//     counts in the repeat statistics of its frequency but is never admitted itself. A
//     frequency present in >= 95 % of frames, or in >= 80 % with fewer than three off gaps,
//     is a constant tone (CRT whine, pilot tone): info, not a beacon. Three or more bursts
//     (runs less than 0.25 s apart are one burst) at -65 dBFS or more make a beacon when the
//     train repeats itself: one frequency carries >= 3 of the bursts, or >= 3 bursts hop
//     between frequencies within themselves (a few runs on ever different frequencies are
//     chord partials). OOK when one frequency carries them, FSK when several do (the symbol
//     sequence is the order in which the frequencies sound within each burst). The period is
//     the mean spacing of burst starts when every spacing is within ±15 % of the median.
//   dense bands: where flickering peaks (harmonic-rich music, codec artefacts) make every run
//     look like it starts with a note, a steady run still counts when it does not start and
//     stop with two *sustained* partials (peaks chained for >= 0.15 s) and it repeats: the
//     same duration again 1, 2 or 3 periods P (0.4-12 s) away for >= 70 % of the steady runs of
//     that duration on that frequency, and those runs fill >= 60 % of the points of one lattice
//     s + kP (repeating_runs: a clock, where recurring chords only pair up here and there)
//     spanning >= 6 s (two close partials of one held chord beat on a clock for a few seconds).
//     A lattice point with no run where the band was too loud for a burst at the train's level
//     to be a peak (needed_level_: neighbourhood median + prominence per other frame and group
//     of 8 bins, one byte each) or where another peak about as loud sits next to it is unknown,
//     not empty; at most half the points may be unknown. When fewer than 70 % of *all* the
//     steady runs repeat, the lattice must hold >= 8 runs and be filled >= 80 %. Such bursts
//     must make a train of >= 6.
//   flicker (v1.7): where those runs give a frequency fewer than three bursts, its peaks are
//     joined across gaps of up to 0.25 s when they agree within 6 dB, and the runs are cut and
//     judged again on their own peaks (>= 4 of them, >= 15 dB over the louder side): a lossy
//     codec short of bits for the band codes a tone only in some frames (kMaxFlickerGapS).
//
//   level (level_dbfs): the tone's peak sine amplitude in dB re full scale — AES17 dBFS, a
//   full-scale sine reads 0; its RMS re a full-scale square wave (sox `stats` "RMS lev") is
//   3 dB lower. The Hann window sums to 2, so a sine centred on a bin has magnitude equal to
//   its amplitude; between bins the parabola through the peak's three log magnitudes gives
//   the offset and the window's response there is added back (interpolated_peak_db, within
//   0.07 dB; the centre bin alone reads up to 1.4 dB low). The burst level is the median over
//   the run's interior frames; the finding's level the median over bursts.
//   burst times: a frame spans two hops (~43 ms each); a burst starts/ends in the middle of the
//   first hop of its first/last frame (±1 hop; a noise peak adjacent to the run can add one).
//
// References: SilverPush (18–20 kHz), Lisnr (18.75–19.2 kHz), Shopkick (~21 kHz) beacons as
// described in Arp et al., "Privacy Threats through Ultrasonic Side Channels on Mobile
// Devices" (EuroS&P 2017) and Mavroudis et al., "On the Privacy and Security of the
// Ultrasound Ecosystem" (PETS 2017).
//
// What it cannot see
//   - anything when the sample rate is below 40 kHz or the band holds no content (codec
//     low-pass): reported as not checked, never as clean;
//   - spread-spectrum or chirp beacons whose energy is not narrowband within ~11 Hz;
//   - beacons weaker than ~kPeakProminenceDb over the band's local noise (broadband noise at
//     -30 dBFS hides tones below about -60 dBFS);
//   - a beacon that is on all the time without hopping (reported as a constant tone);
//   - bursts that start and stop exactly with the notes of music rich in band harmonics
//     (synthetic square/sawtooth chords): they are taken for the notes' harmonics;
//   - FSK symbols shorter than ~0.15 s (bursts are found, the symbol sequence is partial).
//   - a tone that a codec codes in only a few frames (Opus kept one in 4 of 120 frames): its
//     energy is in the band's noise fill, not in a line; flickering tones under ~15 dB over
//     their neighbourhood are not joined (a codec's edge flickers like them).
//   - a tone less than 10 dB over the louder side of its neighbourhood: under loud broadband
//     content, or right against a cliff of louder content, a faint beacon reads like a codec edge.
//   - a beacon that music leaves fewer than 6 visible bursts of (a 40-s clip with a 4.5-s period
//     under dense chords), or whose visible bursts fill < 60 % of the points the music left open.
//   - two partials of one note within a bin of each other beat: the bin switches on and off on a
//     clock while the note lasts, and three such runs look like bursts (the >= 6 s lattice span
//     keeps it out of the dense-band path only).
#include "audio/ultrasonic_beacon.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numbers>
#include <string>

#include "audio/mono.h"
#include "audio/plot.h"
#include "dsp/order_statistics.h"
#include "dsp/windows.h"

namespace wm::audio {

namespace {

constexpr double kBandLowHz = 17500.0;
constexpr double kBandHighHz = 22000.0;
constexpr int kMinRateHz = 40000;
constexpr float kPeakProminenceDb = 12.0f;
constexpr float kMinLevelDbfs = -100.0f;
constexpr int kNeighbourBins = 12;
constexpr std::size_t kMaxPeaksPerFrame = 16;
constexpr double kMinBurstS = 0.15;
constexpr double kMaxBurstS = 6.0;
constexpr double kConstantFraction = 0.8;
constexpr double kMaxRunLevelStdDb = 4.0;
constexpr double kEdgeDropDb = 20.0;
constexpr int kMinBursts = 3;
constexpr int kMinPeersForNote = 2;
constexpr double kNotePeerRangeDb = 30.0;  // a note's peers sound within this much of the run (v1.6)
constexpr double kMinBurstLevelDbfs = -65.0;  // beacons are specified down to -55 dBFS; 10 dB margin
constexpr int kMinRepeatingRuns = 6;
constexpr std::size_t kMaxRunsForRepeat = 160;  // other band peaks starting/ending with a run: a note
constexpr int kCandidateSpacingBins = 3;  // tracks take ±1 bin: 3 apart never share a bin
constexpr double kMinLatticeSpanS = 6.0;
constexpr int kMaskingPeakBins = 3;         // another peak this close hides a burst (peaks are maxima over ±2)
constexpr double kMaskingPeakMarginDb = 6.0;  // ... when at most this much under the train's level
constexpr int kMaxPartnerMultiple = 3;  // a repeating run's partner may be 1, 2 or 3 periods away
constexpr std::size_t kMaxPeriodsTried = 12;  // lattices tried per frequency (repeating_runs)
constexpr std::size_t kMinLatticeRunsUnexplained = 8;  // when < 70 % of a bin's runs repeat
constexpr double kMinLatticeFillUnexplained = 0.8;
// A burst's peaks must stand this far over the louder side of their neighbourhood (median over
// the run): the last bins before a codec's low-pass cliff stand >= kPeakProminenceDb over the
// whole neighbourhood only because its upper half is empty (v1.5).
constexpr float kMinSideProminenceDb = 10.0f;
// Flicker (v1.7): a lossy codec with few bits for the band (Opus 64k over speech + noise) codes a
// tone in only some frames — a 1-s burst at -40 dBFS came out of Opus as a peak in 9 of its 23
// frames, gaps up to 6 frames — and shifts the rest of its energy into noise. On a frequency
// whose strict runs make fewer than kMinBursts bursts, its peaks are joined across gaps of up to
// kMaxFlickerGapS when the peaks on both sides agree within kFlickerLevelMatchDb. Such a run needs
// kMinFlickerPeaks peaks of its own, its level and spread come from those peaks only, and it must
// be a line by kMinFlickerSideDb: a codec's low-pass edge flickers too, at 10-12 dB over its
// louder side, where the Opus-coded tones stood about 20 dB over it.
constexpr double kMaxFlickerGapS = 0.25;
constexpr float kFlickerLevelMatchDb = 6.0f;
constexpr std::uint32_t kMinFlickerPeaks = 4;
constexpr float kMinFlickerSideDb = 15.0f;

std::string format_number(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

struct Run {
  std::uint32_t first = 0, last = 0;  // frames, inclusive
  double level_dbfs = 0.0;
  int track = 0;
  bool repeat_only = false;  // accepted only because it repeats (see repeating_runs)
};

// Turns on the frames between two of a frequency's peaks at most kMaxFlickerGapS apart whose
// levels agree within kFlickerLevelMatchDb (the flicker pass; bridged frames hold no peak).
void bridge_flicker_gaps(std::vector<char>& on, const std::vector<char>& has_peak, const std::vector<float>& level,
                         double frame_s) {
  const auto max_gap = static_cast<std::size_t>(std::ceil(kMaxFlickerGapS / frame_s));
  std::size_t previous = has_peak.size();  // none yet
  for (std::size_t f = 0; f < has_peak.size(); ++f) {
    if (!has_peak[f]) continue;
    if (previous < f && f - previous - 1 <= max_gap && std::abs(level[f] - level[previous]) <= kFlickerLevelMatchDb) {
      std::fill(on.begin() + static_cast<std::ptrdiff_t>(previous) + 1, on.begin() + static_cast<std::ptrdiff_t>(f), 1);
    }
    previous = f;
  }
}

// Median of `v` (reordered); the upper middle for an even count.
double median_of(std::vector<float>& v) {
  auto middle = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), middle, v.end());
  return *middle;
}

// Whether a burst at `level_dbfs` lasting frames [first, last] on the candidate frequency could
// have been seen: false where the band there was loud enough to hide it (see
// UltrasonicBeaconDetector::needed_level_).
using VisibleFn = std::function<bool(std::uint32_t first, std::uint32_t last, double level_dbfs)>;

// Indices of the runs with a partner k P earlier or later (k = 1..kMaxPartnerMultiple, ±1 frame
// + 3 % of the spacing) of the same duration (±1 frame + 15 %). Where music masks every other
// burst, visible neighbours are often 2P or 3P apart (v1.4; v1.3 took k = 1 only). `runs` are in
// time order.
std::vector<std::size_t> runs_with_partner(const std::vector<Run>& runs, double period_frames) {
  auto length = [&](std::size_t i) { return static_cast<double>(runs[i].last - runs[i].first + 1); };
  auto has_partner = [&](std::size_t i, double spacing) {
    const double tolerance = 1.0 + 0.03 * spacing;
    for (const double target : {runs[i].first - spacing, runs[i].first + spacing}) {
      auto j = std::lower_bound(runs.begin(), runs.end(), target - tolerance,
                                [](const Run& r, double t) { return static_cast<double>(r.first) < t; });
      for (; j != runs.end() && static_cast<double>(j->first) <= target + tolerance; ++j) {
        const auto other = static_cast<std::size_t>(j - runs.begin());
        if (other != i && std::abs(length(i) - length(other)) <= 1.0 + 0.15 * std::max(length(i), length(other))) return true;
      }
    }
    return false;
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (int k = 1; k <= kMaxPartnerMultiple; ++k) {
      if (has_partner(i, k * period_frames)) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

struct LatticeFit {
  std::size_t filled = 0;  // lattice points holding a run
  double fill = 0.0;       // filled / (points - unknown)
};

// How well the run starts `starts` fill one lattice s_r + k P between its first and last point
// (FSK symbols at other offsets in the burst make lattices of their own, so the best reference
// run r counts; P is refined from the farthest run locked so far, ±2 frames + 3 %). An empty
// point where the band was too loud for a burst at the train's level to be seen is unknown, not
// empty (v1.4); a lattice with more unknown than seen points, or spanning < kMinLatticeSpanS,
// does not count.
LatticeFit fit_lattice(const std::vector<double>& starts, double period_frames, double burst_frames, double train_dbfs,
                       double frame_s, const VisibleFn& visible) {
  LatticeFit best;
  std::vector<double> by_distance(starts.size());
  std::vector<long> ks;
  for (double ref : starts) {
    by_distance = starts;
    std::sort(by_distance.begin(), by_distance.end(),
              [&](double x, double y) { return std::abs(x - ref) < std::abs(y - ref); });
    double period = period_frames;
    double farthest = 0.0;
    ks.clear();
    for (double s : by_distance) {
      const double k = std::round((s - ref) / period);
      if (std::abs(s - ref - k * period) > 2.0 + 0.03 * period) continue;
      ks.push_back(static_cast<long>(k));
      if (k != 0.0 && std::abs(s - ref) > farthest) {
        farthest = std::abs(s - ref);
        period = (s - ref) / k;
      }
    }
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    // A clock that runs for a few seconds only is two close partials of one held chord
    // beating (on/off every ~0.5 s while the chord lasts), not a beacon.
    if (static_cast<double>(ks.back() - ks.front()) * period * frame_s < kMinLatticeSpanS) continue;
    const long points = ks.back() - ks.front() + 1;
    long unknown = 0;
    for (long k = ks.front(), next = 0; k <= ks.back(); ++k) {
      if (ks[static_cast<std::size_t>(next)] == k) {
        ++next;
        continue;
      }
      const double at = ref + static_cast<double>(k) * period;
      const auto first = static_cast<std::uint32_t>(std::lround(std::max(0.0, at)));
      if (!visible(first, first + static_cast<std::uint32_t>(std::max(1.0, burst_frames)) - 1, train_dbfs)) ++unknown;
    }
    if (2 * unknown > points) continue;
    const double fill = static_cast<double>(ks.size()) / static_cast<double>(points - unknown);
    if (ks.size() > best.filled || (ks.size() == best.filled && fill > best.fill)) best = {ks.size(), fill};
  }
  return best;
}

// Indices of the runs that belong to a repeating train: for a period P (0.4–12 s, taken from
// the spacing of two runs), >= kMinRepeatingRuns runs have a partner (runs_with_partner), 70 %
// of all the runs or (v1.4) of the runs of the train's duration, and those runs fill >= 60 % of
// one lattice (fit_lattice) — a clock, where partials of recurring chords pair up here and
// there but leave most points empty. When fewer than 70 % of all the runs repeat, the lattice
// must hold >= kMinLatticeRunsUnexplained runs and be filled >= kMinLatticeFillUnexplained.
// With partners k P apart, P, 2P and P/2 pair about the same runs, so the lattice is tried for
// the kMaxPeriodsTried periods that pair the most runs (shortest first on a tie), and the one
// whose lattice holds the most runs wins.
std::vector<std::size_t> repeating_runs(const std::vector<Run>& runs, double frame_s, const VisibleFn& visible) {
  const std::size_t n = runs.size();
  if (n < static_cast<std::size_t>(kMinRepeatingRuns)) return {};
  // Starts are whole frames, so the spacings are a few hundred distinct values at most.
  std::vector<long> periods;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const long period = static_cast<long>(runs[j].first) - static_cast<long>(runs[i].first);
      if (period * frame_s >= 0.4 && period * frame_s <= 12.0) periods.push_back(period);
    }
  }
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  std::vector<std::pair<std::size_t, long>> paired;  // (runs paired, period)
  std::vector<float> lengths;
  for (long period : periods) {
    const std::vector<std::size_t> out = runs_with_partner(runs, static_cast<double>(period));
    if (out.size() < static_cast<std::size_t>(kMinRepeatingRuns)) continue;
    // 70 % of the runs of the train's duration: music that masks part of a burst leaves
    // fragments of other lengths on the beacon's bin (v1.4; v1.3 counted every run).
    lengths.clear();
    for (std::size_t i : out) lengths.push_back(static_cast<float>(runs[i].last - runs[i].first + 1));
    const double train_frames = median_of(lengths);
    const auto like = static_cast<double>(std::count_if(runs.begin(), runs.end(), [&](const Run& r) {
      return std::abs(static_cast<double>(r.last - r.first + 1) - train_frames) <= 1.0 + 0.15 * train_frames;
    }));
    const double paired_fraction = static_cast<double>(out.size()) / static_cast<double>(n);
    if (paired_fraction >= 0.7 || static_cast<double>(out.size()) >= 0.7 * like) {
      paired.push_back({out.size(), period});
    }
  }
  std::sort(paired.begin(), paired.end(), [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  std::vector<std::size_t> best_runs;
  LatticeFit best;
  std::vector<long> tried;
  for (const auto& [count, period] : paired) {
    if (tried.size() >= kMaxPeriodsTried) break;
    const auto near = [&](long other) { return std::abs(other - period) <= 1.0 + 0.03 * static_cast<double>(period); };
    if (std::any_of(tried.begin(), tried.end(), near)) continue;
    tried.push_back(period);
    std::vector<std::size_t> out = runs_with_partner(runs, static_cast<double>(period));
    std::vector<float> levels;
    lengths.clear();
    std::vector<double> starts;
    for (std::size_t i : out) {
      levels.push_back(static_cast<float>(runs[i].level_dbfs));
      lengths.push_back(static_cast<float>(runs[i].last - runs[i].first + 1));
      starts.push_back(static_cast<double>(runs[i].first));
    }
    const double train_dbfs = median_of(levels);
    const LatticeFit fit = fit_lattice(starts, static_cast<double>(period), median_of(lengths), train_dbfs, frame_s, visible);
    if (fit.filled < static_cast<std::size_t>(kMinRepeatingRuns) || fit.fill < 0.6) continue;
    // Where the train leaves most runs on its bin unexplained, the clock must be plainer: more
    // runs on the lattice and fewer gaps (chord partials in a dense band made 6-run lattices
    // filled 60-86 % on tuning seeds 13 and 17).
    const bool few_explained = static_cast<double>(count) < 0.7 * static_cast<double>(n);
    if (few_explained && (fit.filled < kMinLatticeRunsUnexplained || fit.fill < kMinLatticeFillUnexplained)) continue;
    if (fit.filled > best.filled || (fit.filled == best.filled && fit.fill > best.fill)) {
      best = fit;
      best_runs = std::move(out);
    }
  }
  return best_runs;
}

// Candidate frequencies (FFT bins): every bin with peaks in at least `min_frames` frames, taken
// in order of peak count, at least kCandidateSpacingBins apart. Not only the busiest few: in a
// band full of chord partials (synthetic square-wave music, aliased) every partial's bin has more
// peaks than a beacon that is masked half the time, and a top-16 list held partials only (v1.2:
// the beacon's bin was no candidate in 34 of 43 misses with the band kept on seeds 13, 17 and a
// music set). The band holds ~400 bins, so this is at most ~130 candidates.
std::vector<int> candidate_bins(const std::map<int, int>& peaks_per_bin, std::uint32_t min_frames) {
  std::vector<std::pair<int, int>> by_count(peaks_per_bin.begin(), peaks_per_bin.end());
  std::sort(by_count.begin(), by_count.end(), [](auto a, auto b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
  std::vector<int> candidates;
  for (const auto& [bin, count] : by_count) {
    if (count < static_cast<int>(min_frames)) break;
    bool near = false;
    for (int c : candidates) near = near || std::abs(c - bin) < kCandidateSpacingBins;
    if (!near) candidates.push_back(bin);
  }
  return candidates;
}

}  // namespace

float interpolated_peak_db(float left_db, float centre_db, float right_db) {
  // A parabola through the three log magnitudes places the sine between bins (offset in
  // bins, |offset| <= 0.5); the Hann window's own response at that offset, sinc(x)/(1-x^2),
  // is then added back. Within 0.07 dB of the sine's amplitude, where the centre bin alone
  // reads up to 1.4 dB low.
  const float curvature = left_db - 2.0f * centre_db + right_db;
  if (!(curvature < 0.0f)) return centre_db;
  const double x = std::clamp(0.5 * static_cast<double>(left_db - right_db) / curvature, -0.5, 0.5);
  if (std::abs(x) < 1e-6) return centre_db;
  const double response = std::sin(std::numbers::pi * x) / (std::numbers::pi * x) / (1.0 - x * x);
  return centre_db - static_cast<float>(20.0 * std::log10(response));
}

Status UltrasonicBeaconDetector::start(const core::AudioStreamFormat& format) {
  format_ = format;
  peaks_.clear();
  needed_level_.clear();
  pending_.clear();
  frames_analysed_ = 0;
  frames_with_band_content_ = 0;
  overview_.clear();
  overview_columns_ = 0;
  frames_per_column_ = 1;
  frames_in_column_ = 0;
  have_pts_ = false;
  checkable_ = format.sample_rate_hz >= kMinRateHz && format.channels > 0;
  if (!checkable_) return Status::ok();
  fft_size_ = 4096;
  while (static_cast<double>(fft_size_) / format.sample_rate_hz < 0.08) fft_size_ *= 2;
  hop_frames_ = fft_size_ / 2;
  const double bin_hz = static_cast<double>(format.sample_rate_hz) / static_cast<double>(fft_size_);
  first_bin_ = static_cast<std::size_t>(std::ceil(kBandLowHz / bin_hz));
  last_bin_ = std::min(static_cast<std::size_t>(kBandHighHz / bin_hz), fft_size_ / 2 - kNeighbourBins - 1);
  ref_first_bin_ = static_cast<std::size_t>(4000.0 / bin_hz);
  ref_last_bin_ = static_cast<std::size_t>(16000.0 / bin_hz);
  mask_groups_ = (last_bin_ - first_bin_ + kMaskGroupBins) / kMaskGroupBins;
  window_ = dsp::hann_window(fft_size_, 2.0);
  in_ = dsp::AlignedFloats(fft_size_);
  out_ = dsp::AlignedComplex(fft_size_ / 2 + 1);
  return Status::ok();
}

Status UltrasonicBeaconDetector::feed(const AudioView& audio) {
  if (!checkable_) return Status::ok();
  if (!have_pts_) {
    first_pts_s_ = audio.pts_s;
    have_pts_ = true;
  }
  mono_.clear();
  append_mono(audio, format_.channels, mono_);
  for (const float sample : mono_) {
    pending_.push_back(sample);
    if (pending_.size() == fft_size_) {
      analyse_frame();
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(hop_frames_));
    }
  }
  return Status::ok();
}

void UltrasonicBeaconDetector::analyse_frame() {
  for (std::size_t i = 0; i < fft_size_; ++i) in_[i] = pending_[i] * window_[i];
  dsp::forward_real_fft(fft_size_, in_.data(), out_.data());
  auto level_db = [&](std::size_t bin) {
    const float p = std::norm(out_[bin]);
    return p > 1e-20f ? 10.0f * std::log10(p) : -200.0f;
  };
  const std::size_t lo = first_bin_ - kNeighbourBins, hi = last_bin_ + kNeighbourBins;
  db_.resize(hi - lo + 1);
  double band_power = 0.0, ref_power = 0.0;
  for (std::size_t b = lo; b <= hi; ++b) db_[b - lo] = level_db(b);
  for (std::size_t b = first_bin_; b <= last_bin_; ++b) band_power += std::norm(out_[b]);
  for (std::size_t b = ref_first_bin_; b <= ref_last_bin_; ++b) ref_power += std::norm(out_[b]);
  const double band_db = 10.0 * std::log10(band_power / static_cast<double>(last_bin_ - first_bin_ + 1) + 1e-30);
  const double ref_db = 10.0 * std::log10(ref_power / static_cast<double>(ref_last_bin_ - ref_first_bin_ + 1) + 1e-30);
  if (band_db > -110.0 && band_db > ref_db - 70.0) ++frames_with_band_content_;

  // A bin's neighbourhood: the levels of the bins ±3..±kNeighbourBins around it (not ±2).
  constexpr std::size_t kSideBins = kNeighbourBins - 2;
  std::array<float, 2 * kSideBins> around;
  auto neighbourhood = [&](std::size_t b) {
    const float* below = &db_[b - lo - kNeighbourBins];
    const float* above = &db_[b - lo + 3];
    std::copy_n(below, kSideBins, around.begin());
    std::copy_n(above, kSideBins, around.begin() + kSideBins);
    return around.data();
  };
  // Median level of the neighbourhood: a peak must stand kPeakProminenceDb above it.
  auto neighbourhood_median_db = [&](std::size_t b) { return dsp::upper_median(neighbourhood(b), around.size()); };
  // The same over one side only (bins 3..12 below for sign -1, above for +1) of the bin at
  // db_[at].
  auto side_median_db = [&](std::size_t at, int sign) {
    std::copy_n(&db_[sign < 0 ? at - kNeighbourBins : at + 3], kSideBins, around.begin());
    return dsp::upper_median(around.data(), kSideBins);
  };
  // Every other frame only (frames overlap by half; a burst spans >= 4): done on every frame,
  // these medians added ~10 % CPU to all audio detectors on a 300-s file.
  for (std::size_t g = 0; g < mask_groups_ && frames_analysed_ % 2 == 0; ++g) {
    const std::size_t centre = std::min(first_bin_ + g * kMaskGroupBins + kMaskGroupBins / 2, last_bin_);
    const float needed_dbfs = neighbourhood_median_db(centre) + kPeakProminenceDb;
    needed_level_.push_back(static_cast<std::uint8_t>(std::clamp(std::round(needed_dbfs + 160.0f), 0.0f, 255.0f)));
  }

  std::vector<Peak> found;
  for (std::size_t b = first_bin_; b <= last_bin_; ++b) {
    const float v = db_[b - lo];
    if (v < kMinLevelDbfs) continue;
    bool is_max = true;
    for (int d = 1; d <= 2 && is_max; ++d) {
      is_max = v >= db_[b - lo - static_cast<std::size_t>(d)] && v > db_[b - lo + static_cast<std::size_t>(d)];
    }
    if (!is_max) continue;
    // v - median < prominence, decided by counting (the same decision, no selection: most
    // local maxima are noise and fail here).
    if (dsp::under_margin_over_upper_median(neighbourhood(b), around.size(), v, kPeakProminenceDb)) continue;
    found.push_back({frames_analysed_, static_cast<std::uint16_t>(b), 0, interpolated_peak_db(db_[b - lo - 1], v, db_[b - lo + 1])});
  }
  std::sort(found.begin(), found.end(), [](const Peak& a, const Peak& b) { return a.level_dbfs > b.level_dbfs; });
  if (found.size() > kMaxPeaksPerFrame) found.resize(kMaxPeaksPerFrame);
  // The side test only for the peaks kept (the sort and the cut look at the level alone).
  for (Peak& p : found) {
    const std::size_t at = p.bin - lo;
    const float over_louder_side_db = db_[at] - std::max(side_median_db(at, -1), side_median_db(at, +1));
    p.over_louder_side_db = static_cast<std::int8_t>(std::clamp(std::round(over_louder_side_db), -127.0f, 127.0f));
  }
  peaks_.insert(peaks_.end(), found.begin(), found.end());
  if (artifacts_) add_to_overview();
  ++frames_analysed_;
}

void UltrasonicBeaconDetector::add_to_overview() {
  const std::size_t lo = first_bin_ - kNeighbourBins;
  if (frames_in_column_ == 0) {
    overview_.resize((overview_columns_ + 1) * kOverviewRows, 0);
    ++overview_columns_;
  }
  std::uint8_t* column = overview_.data() + (overview_columns_ - 1) * kOverviewRows;
  const std::size_t bins = last_bin_ - first_bin_ + 1;
  for (std::size_t b = first_bin_; b <= last_bin_; ++b) {
    const auto row = static_cast<std::size_t>((b - first_bin_) * kOverviewRows / bins);
    const float code = std::clamp((db_[b - lo] + 160.0f) * 2.0f, 0.0f, 255.0f);
    column[row] = std::max(column[row], static_cast<std::uint8_t>(code));
  }
  if (++frames_in_column_ < frames_per_column_) return;
  frames_in_column_ = 0;
  if (overview_columns_ < 2 * kOverviewColumns) return;
  for (std::size_t c = 0; c < overview_columns_ / 2; ++c) {
    for (int r = 0; r < kOverviewRows; ++r) {
      overview_[c * kOverviewRows + static_cast<std::size_t>(r)] =
          std::max(overview_[2 * c * kOverviewRows + static_cast<std::size_t>(r)],
                   overview_[(2 * c + 1) * kOverviewRows + static_cast<std::size_t>(r)]);
    }
  }
  overview_columns_ /= 2;
  overview_.resize(overview_columns_ * kOverviewRows);
  frames_per_column_ *= 2;
}

std::vector<std::uint8_t> UltrasonicBeaconDetector::overview_png(
    const std::vector<double>& marked_hz, const std::vector<std::pair<double, double>>& bursts_s) const {
  if (overview_columns_ == 0) return {};
  const double frame_s = static_cast<double>(hop_frames_) / format_.sample_rate_hz;
  const double bin_hz = static_cast<double>(format_.sample_rate_hz) / static_cast<double>(fft_size_);
  const double duration_s = frames_analysed_ * frame_s;
  const double low_khz = first_bin_ * bin_hz / 1000.0, high_khz = (last_bin_ + 1) * bin_hz / 1000.0;
  // Rows x columns, row 0 the lowest frequency; grey from the band's 5th to its top level.
  const auto columns = static_cast<int>(overview_columns_);
  std::vector<float> values(static_cast<std::size_t>(kOverviewRows) * overview_columns_);
  std::vector<std::uint8_t> sorted(overview_);
  for (int r = 0; r < kOverviewRows; ++r) {
    for (int c = 0; c < columns; ++c) {
      values[static_cast<std::size_t>(r) * overview_columns_ + static_cast<std::size_t>(c)] =
          overview_[static_cast<std::size_t>(c) * kOverviewRows + static_cast<std::size_t>(r)];
    }
  }
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
  const float lo = sorted[sorted.size() / 2];
  const float hi = *std::max_element(overview_.begin(), overview_.end());
  const double shown_s = static_cast<double>(overview_columns_ * frames_per_column_) * frame_s;
  plot::Canvas canvas(800, 200, 0.0, shown_s, low_khz, high_khz);
  plot::heat_map(canvas, values, kOverviewRows, columns, lo, std::max(hi, lo + 20.0f));
  for (double hz : marked_hz) {
    const double khz = hz / 1000.0;
    // Ticks at both edges point at the reported frequency without hiding the bursts.
    canvas.line(0.0, khz, shown_s * 0.015, khz, plot::kRed);
    canvas.line(shown_s * 0.985, khz, shown_s, khz, plot::kRed);
    for (const auto& [a, b] : bursts_s) {
      canvas.line(a, khz - 0.09, b, khz - 0.09, plot::kRed);
      canvas.line(a, khz + 0.09, b, khz + 0.09, plot::kRed);
      canvas.line(a, khz - 0.09, a, khz + 0.09, plot::kRed);
      canvas.line(b, khz - 0.09, b, khz + 0.09, plot::kRed);
    }
  }
  canvas.axes(plot::nice_ticks(0.0, std::min(shown_s, duration_s + frame_s), 8), plot::nice_ticks(low_khz, high_khz, 5),
              0, 1);
  return canvas.png();
}

bool UltrasonicBeaconDetector::burst_visible(std::uint32_t first, std::uint32_t last, double level_dbfs, int centre_bin,
                                             std::size_t group, const std::vector<std::uint32_t>& first_peak_of) const {
  // A frame hides the burst when the band's neighbourhood is so loud that a tone at the
  // train's level would not stand kPeakProminenceDb above it, or when another peak at about
  // its level sits on or next to its bin (the burst would not be a local maximum of its own,
  // or would merge with it). The burst is visible when at most half its frames are hidden.
  std::uint32_t hidden = 0, frames = 0;
  for (std::uint32_t f = first; f <= last && f < frames_analysed_; ++f, ++frames) {
    bool hides = needed_level_[f / 2 * mask_groups_ + group] - 160.0 > level_dbfs;
    for (std::uint32_t i = first_peak_of[f]; i < first_peak_of[f + 1] && !hides; ++i) {
      hides = std::abs(static_cast<int>(peaks_[i].bin) - centre_bin) <= kMaskingPeakBins &&
              peaks_[i].level_dbfs >= level_dbfs - kMaskingPeakMarginDb;
    }
    hidden += hides ? 1u : 0u;
  }
  return 2 * hidden <= frames;
}

core::DetectorOutput UltrasonicBeaconDetector::finish(bool complete) {
  core::DetectorOutput out;
  out.run.id = "audio.ultrasonic_beacon";
  out.run.version = kUltrasonicBeaconVersion;
  out.run.parameters = {{"band_hz", "17500-22000"}, {"prominence_db", format_number(kPeakProminenceDb, 1)}};
  const std::string id = "audio.ultrasonic_beacon";
  if (!checkable_) {
    out.not_checked.push_back({id, "band 17.5–22 kHz could not be checked (sample rate " +
                                       std::to_string(format_.sample_rate_hz) + " Hz is below 40 kHz)"});
    return out;
  }
  if (frames_analysed_ == 0) {
    out.not_checked.push_back({id, "band 17.5–22 kHz could not be checked (audio shorter than one analysis frame)"});
    return out;
  }
  const double frame_s = static_cast<double>(hop_frames_) / format_.sample_rate_hz;
  const double bin_hz = static_cast<double>(format_.sample_rate_hz) / static_cast<double>(fft_size_);
  if (peaks_.empty() && frames_with_band_content_ < std::max<std::uint32_t>(1, frames_analysed_ / 200)) {
    out.not_checked.push_back({id, "band 17.5–22 kHz could not be checked (no content above 17.5 kHz: "
                                   "codec low-pass or band-limited source)"});
    return out;
  }
  if (!complete) out.not_checked.push_back({id, "stream ended early; the unread part was not checked"});

  const auto min_frames = static_cast<std::uint32_t>(std::ceil(kMinBurstS / frame_s));
  std::map<int, int> peaks_per_bin;
  for (const Peak& p : peaks_) peaks_per_bin[p.bin]++;
  const std::vector<int> candidates = candidate_bins(peaks_per_bin, min_frames);

  // Onsets and offsets of band peaks, flagged per peak (the note test counts only peers near
  // the run's level). A peak is an onset when no peak within ±1 bin precedes it in the previous
  // frame, or (v1.6) the one that does is kEdgeDropDb weaker and no onset itself: a loud
  // partial that rises out of a faint one at its bin (a chord over a quiet layer) starts there;
  // a tone read low in the frame that holds its first moments only is one onset, not two.
  // Offsets likewise with the next frame.
  std::vector<std::uint32_t> first_peak_of(frames_analysed_ + 1, 0);  // peaks_[first_peak_of[f] ..) are frame f's
  for (const Peak& p : peaks_) ++first_peak_of[p.frame + 1];
  for (std::uint32_t f = 0; f < frames_analysed_; ++f) first_peak_of[f + 1] += first_peak_of[f];
  // The index of a peak within ±1 bin of peaks_[i] in the frame `step` (±1) away, or -1.
  auto neighbour = [&](std::size_t i, int step) -> long {
    const long frame = static_cast<long>(peaks_[i].frame) + step;
    if (frame < 0 || frame >= static_cast<long>(frames_analysed_)) return -1;
    for (std::uint32_t j = first_peak_of[static_cast<std::size_t>(frame)]; j < first_peak_of[static_cast<std::size_t>(frame) + 1]; ++j) {
      if (std::abs(static_cast<int>(peaks_[j].bin) - static_cast<int>(peaks_[i].bin)) <= 1) return j;
    }
    return -1;
  };
  enum : std::uint8_t { kOnset = 1, kOffset = 2, kSustainedOnset = 4, kSustainedOffset = 8 };
  std::vector<std::uint8_t> edge_of(peaks_.size(), 0);
  auto is_edge = [&](std::size_t i, long other, std::uint8_t kind) {
    if (other < 0) return true;
    const auto o = static_cast<std::size_t>(other);
    return peaks_[o].level_dbfs < peaks_[i].level_dbfs - kEdgeDropDb && (edge_of[o] & kind) == 0;
  };
  std::vector<long> before_of(peaks_.size());  // neighbour(i, -1), needed twice
  for (std::size_t i = 0; i < peaks_.size(); ++i) {
    before_of[i] = neighbour(i, -1);
    if (is_edge(i, before_of[i], kOnset)) edge_of[i] |= kOnset;
  }
  for (std::size_t i = peaks_.size(); i-- > 0;) {
    if (is_edge(i, neighbour(i, +1), kOffset)) edge_of[i] |= kOffset;
  }

  // The same for *sustained* partials only: peaks chained from frame to frame (±1 bin, no
  // edge between) for at least kMinBurstS. Flickering peaks (noise, codec artefacts in a dense
  // band) do not count, so this test still works where the one above sees a note everywhere.
  std::vector<std::uint32_t> chain_start(peaks_.size());  // index of the chain's first peak
  for (std::size_t i = 0; i < peaks_.size(); ++i) {
    const long before = before_of[i];
    const bool starts = before < 0 || (edge_of[i] & kOnset) != 0 || (edge_of[static_cast<std::size_t>(before)] & kOffset) != 0;
    chain_start[i] = starts ? static_cast<std::uint32_t>(i) : chain_start[static_cast<std::size_t>(before)];
  }
  // A partial's level: the loudest of its chained peaks (a note fading out is faint in the
  // frame where it ends, not in the frames it sounded).
  std::vector<float> partial_dbfs(peaks_.size(), -1000.0f);  // indexed by the chain's first peak
  for (std::size_t i = 0; i < peaks_.size(); ++i) {
    partial_dbfs[chain_start[i]] = std::max(partial_dbfs[chain_start[i]], peaks_[i].level_dbfs);
  }
  for (std::size_t i = 0; i < peaks_.size(); ++i) {
    const std::uint32_t f = peaks_[i].frame;
    bool continues = false;
    if (f + 1 < frames_analysed_) {
      for (std::uint32_t j = first_peak_of[f + 1]; j < first_peak_of[f + 2] && !continues; ++j) {
        continues = std::abs(static_cast<int>(peaks_[i].bin) - static_cast<int>(peaks_[j].bin)) <= 1 &&
                    chain_start[j] == chain_start[i];
      }
    }
    if (continues || f - peaks_[chain_start[i]].frame + 1 < min_frames) continue;
    edge_of[chain_start[i]] |= kSustainedOnset;
    edge_of[i] |= kSustainedOffset;
  }
  // Peers of a run at `run_dbfs` on bin `centre`: the peaks flagged `kind` within ±1 frame of
  // `at`, off the run's own bins, whose partial sounds no more than kNotePeerRangeDb under it.
  // The partials of one note sound at comparable levels; partials far under a switched tone
  // are interrupted by the splatter of its switching edge for a frame, which made them start
  // and stop with every burst (v1.6).
  auto peers = [&](std::uint8_t kind, std::uint32_t at, double run_dbfs, int centre) {
    int n = 0;
    for (std::uint32_t k = at > 0 ? at - 1 : 0; k <= std::min(at + 1, frames_analysed_ - 1); ++k) {
      for (std::uint32_t i = first_peak_of[k]; i < first_peak_of[k + 1]; ++i) {
        const bool peer = (edge_of[i] & kind) != 0 && std::abs(static_cast<int>(peaks_[i].bin) - centre) > 1 &&
                          partial_dbfs[chain_start[i]] >= run_dbfs - kNotePeerRangeDb;
        n += peer ? 1 : 0;
      }
    }
    return n;
  };

  std::vector<Run> bursts;
  std::vector<int> beacon_tracks;
  for (std::size_t t = 0; t < candidates.size(); ++t) {
    const int centre = candidates[t];
    std::vector<float> level(frames_analysed_, -1000.0f);
    std::vector<float> weak_side_db(frames_analysed_, 0.0f);  // the peak over its louder side
    for (const Peak& p : peaks_) {
      if (std::abs(static_cast<int>(p.bin) - centre) <= 1 && p.level_dbfs > level[p.frame]) {
        level[p.frame] = p.level_dbfs;
        weak_side_db[p.frame] = p.over_louder_side_db;
      }
    }
    std::vector<char> on(frames_analysed_);
    for (std::uint32_t f = 0; f < frames_analysed_; ++f) on[f] = level[f] > -999.0f;
    const std::vector<char> has_peak = on;  // before gaps are closed
    for (std::uint32_t f = 1; f + 1 < frames_analysed_; ++f) {
      if (!on[f] && on[f - 1] && on[f + 1]) {
        on[f] = 1;
        level[f] = 0.5f * (level[f - 1] + level[f + 1]);
      }
    }
    std::uint32_t on_frames = 0;
    for (char c : on) on_frames += c ? 1u : 0u;
    const double on_fraction = static_cast<double>(on_frames) / frames_analysed_;
    // Off gaps of at least kMinBurstS between on frames: a tone that is on 80 % of the time
    // but switches off repeatedly is a beacon with short gaps, not a constant tone.
    int gaps = 0;
    for (std::uint32_t f = 0, off = 0, seen_on = 0; f < frames_analysed_; ++f) {
      if (on[f]) {
        if (seen_on && off >= min_frames) ++gaps;
        seen_on = 1;
        off = 0;
      } else {
        ++off;
      }
    }
    const bool constant = on_fraction >= 0.95 || (on_fraction >= kConstantFraction && gaps < kMinBursts);
    if (constant) {
      std::vector<float> levels;
      for (std::uint32_t f = 0; f < frames_analysed_; ++f) if (on[f]) levels.push_back(level[f]);
      std::nth_element(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(levels.size() / 2), levels.end());
      Finding finding;
      finding.detector = id;
      finding.category = "audio_signature";
      finding.severity = Severity::kInfo;
      finding.confidence = std::min(1.0, on_fraction);
      finding.summary = "A constant near-ultrasonic tone is present for the whole recording (a pilot tone or "
                        "equipment whine, not a switching beacon).";
      finding.time_ranges_s.push_back({first_pts_s_, first_pts_s_ + frames_analysed_ * frame_s});
      finding.evidence.push_back({"frequency_hz", std::round(centre * bin_hz), false});
      finding.evidence.push_back({"level_dbfs", std::round(10.0 * levels[levels.size() / 2]) / 10.0, false});
      finding.evidence.push_back({"kind", std::string("constant_tone"), false});
      if (artifacts_) {
        auto png = overview_png({centre * bin_hz}, {});
        if (!png.empty()) finding.artifacts.push_back({"spectrogram", "image/png", id + "_tone.png", std::move(png)});
      }
      out.findings.push_back(std::move(finding));
      continue;
    }
    std::vector<float> run_levels;
    std::vector<Run> steady;  // runs of burst length and steady level, note or not
    std::vector<char> with_note_of;
    // Whether each steady run is a line (see above). A run that is not still counts in the
    // repeat statistics of its frequency, as before v1.5 (a beacon at a codec's edge can have
    // a partly masked run that reads under 10 dB; dropping it broke one train's lattice on
    // tuning seed 17), but is never admitted as a burst itself.
    std::vector<char> line_of;
    // The strict pass; then, on a frequency where it found fewer than kMinBursts bursts, the
    // flicker pass (see kMaxFlickerGapS), whose bursts replace the strict ones when more.
    const std::size_t bursts_before = bursts.size();
    std::vector<Run> strict_bursts;
    for (const bool flicker : {false, true}) {
      if (flicker) {
        if (bursts.size() - bursts_before >= static_cast<std::size_t>(kMinBursts)) break;
        strict_bursts.assign(bursts.begin() + static_cast<std::ptrdiff_t>(bursts_before), bursts.end());
        bursts.resize(bursts_before);
        steady.clear();
        with_note_of.clear();
        line_of.clear();
        bridge_flicker_gaps(on, has_peak, level, frame_s);
      }
      for (std::uint32_t f = 0; f < frames_analysed_;) {
        if (!on[f]) {
          ++f;
          continue;
        }
        std::uint32_t g = f;
        while (g + 1 < frames_analysed_ && on[g + 1]) ++g;
        const double length_s = (g - f + 1) * frame_s;
        std::uint32_t peak_frames = 0;
        for (std::uint32_t k = f; k <= g; ++k) peak_frames += has_peak[k] ? 1u : 0u;
        if (length_s >= kMinBurstS && length_s <= kMaxBurstS && (!flicker || peak_frames >= kMinFlickerPeaks)) {
          // Level and steadiness from the run's interior: the first and last frame of a burst
          // hold the tone for only part of their window and read several dB low, which made
          // short steady bursts look unsteady (4 of the 8 bursts of samples/screen-share.mp4).
          // Median and robust spread (1.4826 x median absolute deviation, the std of a normal
          // spread), so one stray frame at an edge cannot make a steady burst unsteady either.
          const std::uint32_t a = g - f + 1 >= 5 ? f + 1 : f, z = g - f + 1 >= 5 ? g - 1 : g;
          // A line stands out on both sides; the peaks at a codec's low-pass edge, whose top band
          // the encoder keeps or drops frame by frame, only over the empty side (v1.5).
          // A flickering run is measured on its own peaks only.
          run_levels.clear();
          for (std::uint32_t k = a; k <= z; ++k) {
            if (!flicker || has_peak[k]) run_levels.push_back(weak_side_db[k]);
          }
          const bool line = median_of(run_levels) >= (flicker ? kMinFlickerSideDb : kMinSideProminenceDb);
          run_levels.clear();
          for (std::uint32_t k = a; k <= z; ++k) {
            if (!flicker || has_peak[k]) run_levels.push_back(level[k]);
          }
          const double mean = median_of(run_levels);  // the run's level: a median, kept under its old name
          for (float& v : run_levels) v = static_cast<float>(std::abs(v - mean));
          const double std_db = 1.4826 * median_of(run_levels);
          // Edge frames more than kEdgeDropDb under the burst hold almost none of it (a noise
          // peak that happened to sit next to it): they do not move the reported times.
          std::uint32_t first = f, last = g;
          while (first < last && level[first] < mean - kEdgeDropDb) ++first;
          while (last > first && level[last] < mean - kEdgeDropDb) --last;
          const bool with_note = peers(kOnset, first, mean, centre) >= kMinPeersForNote && peers(kOffset, last, mean, centre) >= kMinPeersForNote;
          if (std_db <= kMaxRunLevelStdDb && mean >= kMinBurstLevelDbfs && steady.size() < kMaxRunsForRepeat) {
            steady.push_back({first, last, mean, static_cast<int>(t)});
            const bool with_sustained_note = peers(kSustainedOnset, first, mean, centre) >= kMinPeersForNote &&
                                             peers(kSustainedOffset, last, mean, centre) >= kMinPeersForNote;
            with_note_of.push_back(with_sustained_note ? 2 : with_note ? 1 : 0);
            line_of.push_back(line ? 1 : 0);
          }
          if (std_db <= kMaxRunLevelStdDb && !with_note && mean >= kMinBurstLevelDbfs && line) {
            bursts.push_back({first, last, mean, static_cast<int>(t)});
          }
        }
        f = g + 1;
      }
      // Runs that seemed to start and stop with a note, but not with a *sustained* partial, are
      // still bursts when they repeat: the same duration again after a fixed period (a beacon's
      // clock), which the notes of music in a dense band do not keep.
      const std::size_t group = std::min(static_cast<std::size_t>(centre) - first_bin_, last_bin_ - first_bin_) / kMaskGroupBins;
      const VisibleFn visible = [&](std::uint32_t first, std::uint32_t last, double level_dbfs) {
        return burst_visible(first, last, level_dbfs, centre, group, first_peak_of);
      };
      for (std::size_t i : repeating_runs(steady, frame_s, visible)) {
        if (with_note_of[i] != 1 || !line_of[i]) continue;  // already a burst, a sustained note's partial, or an edge
        bursts.push_back(steady[i]);
        bursts.back().repeat_only = true;
      }
      if (flicker && bursts.size() - bursts_before <= strict_bursts.size()) {
        bursts.resize(bursts_before);
        bursts.insert(bursts.end(), strict_bursts.begin(), strict_bursts.end());
      }
    }
    const bool any = bursts.size() > bursts_before;
    if (any) beacon_tracks.push_back(static_cast<int>(t));
  }
  if (bursts.empty()) return out;

  // Union bursts across frequencies (FSK symbols abut), in time order.
  std::sort(bursts.begin(), bursts.end(), [](const Run& a, const Run& b) { return a.first < b.first; });
  std::vector<std::vector<Run>> groups;
  const auto join_gap = static_cast<std::uint32_t>(std::ceil(0.25 / frame_s));
  auto group_bursts = [&] {
    groups.clear();
    for (const Run& r : bursts) {
      if (!groups.empty() && r.first <= groups.back().back().last + join_gap) {
        groups.back().push_back(r);
      } else {
        groups.push_back({r});
      }
    }
  };
  group_bursts();
  // Bursts admitted for repeating alone must make a long train (kMinRepeatingRuns bursts);
  // otherwise only the bursts that passed the note test count.
  if (static_cast<int>(groups.size()) < kMinRepeatingRuns &&
      std::any_of(bursts.begin(), bursts.end(), [](const Run& r) { return r.repeat_only; })) {
    std::erase_if(bursts, [](const Run& r) { return r.repeat_only; });
    std::erase_if(beacon_tracks, [&](int t) {
      return std::none_of(bursts.begin(), bursts.end(), [&](const Run& r) { return r.track == t; });
    });
    group_bursts();
  }
  if (static_cast<int>(groups.size()) < kMinBursts) return out;
  // A beacon repeats itself: one frequency carries >= kMinBursts bursts (OOK, or FSK whose
  // symbols recur), or >= kMinBursts bursts each hop between frequencies within the burst.
  // A few single-frequency runs on ever different frequencies (partials of changing chords
  // after a codec) repeat nothing.
  {
    std::map<int, int> bursts_on_track;
    int hopping = 0;
    for (const auto& group : groups) {
      std::vector<int> tracks;
      for (const Run& r : group) tracks.push_back(r.track);
      std::sort(tracks.begin(), tracks.end());
      tracks.erase(std::unique(tracks.begin(), tracks.end()), tracks.end());
      for (int t : tracks) ++bursts_on_track[t];
      hopping += tracks.size() > 1 ? 1 : 0;
    }
    int most = 0;
    for (const auto& [track, n] : bursts_on_track) most = std::max(most, n);
    if (most < kMinBursts && hopping < kMinBursts) return out;
  }
  std::vector<double> starts_s;
  std::vector<double> levels;
  Finding finding;
  finding.detector = id;
  finding.category = "audio_signature";
  finding.severity = Severity::kMedium;
  std::string symbols;
  // Symbols are named by frequency: A the lowest.
  std::sort(beacon_tracks.begin(), beacon_tracks.end(), [&](int a, int b) {
    return candidates[static_cast<std::size_t>(a)] < candidates[static_cast<std::size_t>(b)];
  });
  std::map<int, char> letter;
  for (int t : beacon_tracks) letter[t] = static_cast<char>('A' + letter.size());
  for (const auto& group : groups) {
    std::uint32_t last = 0;
    for (const Run& r : group) {
      last = std::max(last, r.last);
      levels.push_back(r.level_dbfs);
    }
    // A frame spans two hops; the tone switched on within the first frame that holds it
    // and off within the last: the middle of each frame's first hop is the estimate (±hop/2).
    const double start_s = first_pts_s_ + (group.front().first + 0.5) * frame_s;
    starts_s.push_back(start_s);
    if (finding.time_ranges_s.size() < 64) {
      finding.time_ranges_s.push_back({start_s, first_pts_s_ + (last + 1.5) * frame_s});
    }
    if (beacon_tracks.size() > 1 && symbols.size() < 200) {
      if (!symbols.empty()) symbols += ' ';
      for (const Run& r : group) symbols += letter[r.track];
    }
  }
  std::nth_element(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(levels.size() / 2), levels.end());
  const double level_dbfs = levels[levels.size() / 2];

  double period_s = 0.0;
  if (starts_s.size() >= 3) {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < starts_s.size(); ++i) gaps.push_back(starts_s[i] - starts_s[i - 1]);
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    bool regular = median > 0.0;
    for (double g : gaps) regular = regular && std::abs(g - median) <= 0.15 * median + frame_s;
    // Regular: the mean spacing (first to last start) beats the hop quantisation of each gap.
    if (regular) period_s = (starts_s.back() - starts_s.front()) / static_cast<double>(starts_s.size() - 1);
  }

  std::string frequencies;
  for (int t : beacon_tracks) {
    if (!frequencies.empty()) frequencies += ",";
    frequencies += format_number(std::round(candidates[static_cast<std::size_t>(t)] * bin_hz), 0);
  }
  const bool fsk = beacon_tracks.size() > 1;
  finding.summary = fsk ? "A near-ultrasonic beacon hops between frequencies in repeating bursts (FSK), as used "
                          "by audio tracking beacons."
                        : "A near-ultrasonic tone switches on and off in repeating bursts (OOK), as used by audio "
                          "tracking beacons.";
  finding.confidence = std::min(0.99, 0.6 + 0.08 * std::min<std::size_t>(groups.size(), 4) + (period_s > 0.0 ? 0.07 : 0.0));
  finding.evidence.push_back({"frequencies_hz", frequencies, false});
  finding.evidence.push_back({"modulation", std::string(fsk ? "FSK" : "OOK"), false});
  finding.evidence.push_back({"bursts", static_cast<std::int64_t>(groups.size()), false});
  finding.evidence.push_back({"level_dbfs", std::round(10.0 * level_dbfs) / 10.0, false});
  if (period_s > 0.0) finding.evidence.push_back({"period_s", std::round(100.0 * period_s) / 100.0, false});
  if (!symbols.empty()) finding.evidence.push_back({"symbols", symbols, false});
  if (artifacts_) {
    std::vector<double> marked_hz;
    for (int t : beacon_tracks) marked_hz.push_back(candidates[static_cast<std::size_t>(t)] * bin_hz);
    std::vector<std::pair<double, double>> spans;
    for (const auto& group : groups) {
      std::uint32_t last = 0;
      for (const Run& r : group) last = std::max(last, r.last);
      spans.push_back({(group.front().first + 0.5) * frame_s, (last + 1.5) * frame_s});
    }
    auto png = overview_png(marked_hz, spans);
    if (!png.empty()) finding.artifacts.push_back({"spectrogram", "image/png", id + "_spectrogram.png", std::move(png)});
  }
  out.findings.push_back(std::move(finding));
  return out;
}

}  // namespace wm::audio
