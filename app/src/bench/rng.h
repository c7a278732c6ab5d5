// A small seeded random generator for the benchmark's synthetic history. Its draws are defined
// here (not by the standard library's distributions, whose output may differ between library
// versions), so one seed gives the same history on every build.
//
// Thread safety: none; one owner per instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace caseledger::app::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed ^ 0x9e3779b97f4a7c15ULL) { Next(); }

  // splitmix64: 64 well-mixed bits per call.
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  bool Chance(double p) { return Unit() < p; }

  // An index drawn with probability proportional to `weights[i]`.
  std::size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

  // A size in [lo, hi] skewed towards `lo` (most texts are short, a few are long).
  std::uint32_t SkewedSize(std::uint32_t lo, std::uint32_t hi) {
    double u = Unit();
    return lo + static_cast<std::uint32_t>(u * u * (hi - lo));
  }

  // 0, 1, 2, ... with mean `mean` (geometric).
  std::uint32_t Geometric(double mean) {
    std::uint32_t n = 0;
    double p = mean / (1.0 + mean);
    while (n < 1000 && Chance(p)) ++n;
    return n;
  }

 private:
  std::uint64_t state_;
};

}  // namespace caseledger::app::bench
