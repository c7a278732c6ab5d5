// MetricsRegistry: registration and the text exposition format 0.0.4.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/http/metrics.h"

namespace caseledger::app::http {

namespace {

enum Type { kCounter = 0, kGauge = 1, kHistogram = 2 };

[[noreturn]] void MisuseAbort(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "caseledger metrics misuse: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(name.size()), name.data());
  std::abort();
}

bool IsNameChar(char c, bool first, bool allow_colon) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (allow_colon && c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, allow_colon)) return false;
  }
  return true;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"` without the closing brace, or empty when there are no labels and no extra.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

}  // namespace

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  int type = kCounter;
  std::vector<std::string> label_names;
  std::vector<double> upper_bounds;
  std::unique_ptr<CounterFamily> counters;
  std::unique_ptr<GaugeFamily> gauges;
  std::unique_ptr<HistogramFamily> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::Register(std::string_view name, std::string_view help,
                                                  int type, std::vector<std::string> label_names,
                                                  std::vector<double> upper_bounds) {
  if (!IsValidName(name, true)) MisuseAbort("invalid metric name", name);
  for (const std::string& label : label_names) {
    if (!IsValidName(label, false) || label.starts_with("__") ||
        (type == kHistogram && label == "le")) {
      MisuseAbort("invalid label name", label);
    }
  }
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(name); it != entries_.end()) {
    Entry& existing = *it->second;
    if (existing.type != type || existing.help != help || existing.label_names != label_names ||
        (type == kHistogram && existing.upper_bounds != upper_bounds)) {
      MisuseAbort("conflicting registration", name);
    }
    return existing;
  }
  auto entry = std::make_unique<Entry>();
  entry->name = std::string(name);
  entry->help = std::string(help);
  entry->type = type;
  entry->label_names = label_names;
  entry->upper_bounds = upper_bounds;
  switch (type) {
    case kCounter:
      entry->counters = std::make_unique<CounterFamily>(std::move(label_names),
                                                        [] { return std::make_unique<Counter>(); });
      break;
    case kGauge:
      entry->gauges = std::make_unique<GaugeFamily>(std::move(label_names),
                                                    [] { return std::make_unique<Gauge>(); });
      break;
    default:
      entry->histograms = std::make_unique<HistogramFamily>(
          std::move(label_names),
          [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); });
  }
  return *entries_.emplace(std::string(name), std::move(entry)).first->second;
}

CounterFamily& MetricsRegistry::AddCounterFamily(std::string_view name, std::string_view help,
                                                 std::vector<std::string> label_names) {
  return *Register(name, help, kCounter, std::move(label_names), {}).counters;
}

GaugeFamily& MetricsRegistry::AddGaugeFamily(std::string_view name, std::string_view help,
                                             std::vector<std::string> label_names) {
  return *Register(name, help, kGauge, std::move(label_names), {}).gauges;
}

HistogramFamily& MetricsRegistry::AddHistogramFamily(std::string_view name, std::string_view help,
                                                     std::vector<double> upper_bounds,
                                                     std::vector<std::string> label_names) {
  std::sort(upper_bounds.begin(), upper_bounds.end());
  upper_bounds.erase(std::unique(upper_bounds.begin(), upper_bounds.end()), upper_bounds.end());
  return *Register(name, help, kHistogram, std::move(label_names), std::move(upper_bounds))
              .histograms;
}

Counter& MetricsRegistry::AddCounter(std::string_view name, std::string_view help) {
  return AddCounterFamily(name, help, {}).WithLabels({});
}

Gauge& MetricsRegistry::AddGauge(std::string_view name, std::string_view help) {
  return AddGaugeFamily(name, help, {}).WithLabels({});
}

Histogram& MetricsRegistry::AddHistogram(std::string_view name, std::string_view help,
                                         std::vector<double> upper_bounds) {
  return AddHistogramFamily(name, help, std::move(upper_bounds), {}).WithLabels({});
}

std::string MetricsRegistry::Render() const {
  static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
  std::string out;
  out.reserve(4096);
  std::lock_guard lock(mu_);
  for (const auto& item : entries_) {
    // Named references rather than a structured binding: the lambda below captures `name`,
    // which clang 14 (the fuzzing build) does not allow for bindings.
    const std::string& name = item.first;
    const auto& entry = item.second;
    out += "# HELP " + name + " ";
    AppendEscaped(out, entry->help, false);
    out += "\n# TYPE " + name + " " + kTypeNames[entry->type] + "\n";
    const std::vector<std::string>& labels = entry->label_names;
    auto line = [&](std::string_view suffix, const std::vector<std::string>& values,
                    const std::string& value, std::string_view extra = {},
                    std::string_view extra_value = {}) {
      out += name;
      out += suffix;
      AppendLabels(out, labels, values, extra, extra_value);
      out += ' ';
      out += value;
      out += '\n';
    };
    if (entry->counters) {
      entry->counters->ForEach([&](const auto& values, const Counter& counter) {
        line("", values, std::to_string(counter.Value()));
      });
    } else if (entry->gauges) {
      entry->gauges->ForEach([&](const auto& values, const Gauge& gauge) {
        line("", values, FormatValue(gauge.Value()));
      });
    } else {
      entry->histograms->ForEach([&](const auto& values, const Histogram& histogram) {
        Histogram::Snapshot snapshot = histogram.Read();
        const std::vector<double>& bounds = histogram.upper_bounds();
        for (std::size_t i = 0; i < bounds.size(); ++i) {
          line("_bucket", values, std::to_string(snapshot.cumulative[i]), "le",
               FormatValue(bounds[i]));
        }
        line("_bucket", values, std::to_string(snapshot.count), "le", "+Inf");
        line("_sum", values, FormatValue(snapshot.sum));
        line("_count", values, std::to_string(snapshot.count));
      });
    }
  }
  return out;
}

}  // namespace caseledger::app::http
