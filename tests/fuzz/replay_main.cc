// Runs a fuzz target without libFuzzer, so every build exercises it: each file of the given
// corpus directories as it is, then `--mutations N` deterministic mutations of each (bit flips,
// truncations, inserted, overwritten and repeated bytes) and N random buffers. A crash, a trap or
// a sanitizer report fails the run; the seed is fixed, so a failure reproduces.
//
//   caseledger_fuzz_envelope --mutations 2000 tests/fixtures/events
//
// With -DCASELEDGER_FUZZ=ON (clang) the targets link with libFuzzer instead of this file.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string Mutate(std::string s, std::mt19937_64& rng) {
  auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  int steps = 1 + static_cast<int>(below(4));
  for (int i = 0; i < steps; ++i) {
    switch (below(5)) {
      case 0:  // flip a bit
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << below(8));
        break;
      case 1:  // truncate
        s.resize(below(s.size() + 1));
        break;
      case 2:  // insert a byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(below(s.size() + 1)),
                 static_cast<char>(rng()));
        break;
      case 3: {  // overwrite a run with an interesting byte
        if (s.empty()) break;
        static constexpr char kBytes[] = {'\0', '\xff', '\x7f', '\x80', '"', '{', '[', ':', '9'};
        std::size_t at = below(s.size());
        std::size_t n = 1 + below(std::min<std::size_t>(8, s.size() - at));
        for (std::size_t k = 0; k < n; ++k) s[at + k] = kBytes[below(sizeof kBytes)];
        break;
      }
      default: {  // repeat a chunk
        if (s.empty()) break;
        std::size_t at = below(s.size());
        std::size_t n = 1 + below(std::min<std::size_t>(64, s.size() - at));
        s.insert(at, s.substr(at, n));
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mutations = 1000;
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mutations" && i + 1 < argc) {
      mutations = std::strtoull(argv[++i], nullptr, 10);
      continue;
    }
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    if (ec) {
      std::cerr << "cannot read corpus directory " << arg << ": " << ec.message() << "\n";
      return 2;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) {
    std::cerr << "usage: " << argv[0] << " [--mutations N] CORPUS_DIR...\n";
    return 2;
  }
  std::mt19937_64 rng(0x5eedcafe);
  std::size_t runs = 0;
  for (const std::string& seed : seeds) {
    Run(seed);
    ++runs;
    for (std::size_t m = 0; m < mutations; ++m, ++runs) Run(Mutate(seed, rng));
  }
  for (std::size_t m = 0; m < mutations; ++m, ++runs) {
    std::string random(static_cast<std::size_t>(rng() % 512), '\0');
    for (char& c : random) c = static_cast<char>(rng());
    Run(random);
  }
  std::cout << "ran " << runs << " inputs from " << seeds.size() << " seeds\n";
  return 0;
}
