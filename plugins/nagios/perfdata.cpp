#include "perfdata.h"

#include <charconv>
#include <optional>

namespace nagios {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the decimal number at the start of `text` ([-+]digits[.digits]
// [e[-+]digits], at least one digit), or 0 when there is none.
std::size_t NumberLength(const std::string& text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t exponent = i + 1;
    if (exponent < text.size() && (text[exponent] == '-' || text[exponent] == '+')) ++exponent;
    if (exponent < text.size() && IsDigit(text[exponent])) {
      i = exponent;
      while (i < text.size() && IsDigit(text[i])) ++i;
    }
  }
  return i;
}

std::optional<double> ToNumber(const std::string& text) {
  std::size_t start = !text.empty() && text[0] == '+' ? 1 : 0;
  double value = 0;
  auto [end, error] = std::from_chars(text.data() + start, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsNumber(const std::string& text) { return !text.empty() && NumberLength(text) == text.size(); }

// "10", "10:", "~:10", "10:20", each optionally preceded by "@".
bool IsRange(std::string text) {
  if (!text.empty() && text[0] == '@') text.erase(0, 1);
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) return IsNumber(text);
  const std::string start = text.substr(0, colon), end = text.substr(colon + 1);
  return (start == "~" || IsNumber(start)) && (end.empty() || IsNumber(end));
}

struct Unit {
  const char* uom;
  const char* name;
  double factor;
};

constexpr double kKibi = 1024.0;
const Unit kUnits[] = {
    {"", "", 1},
    {"s", "seconds", 1},
    {"ms", "seconds", 1e-3},
    {"us", "seconds", 1e-6},
    {"%", "percent", 1},
    {"c", "counter", 1},
    {"B", "bytes", 1},
    {"KB", "bytes", kKibi},
    {"kB", "bytes", kKibi},
    {"KiB", "bytes", kKibi},
    {"MB", "bytes", kKibi* kKibi},
    {"MiB", "bytes", kKibi* kKibi},
    {"GB", "bytes", kKibi* kKibi* kKibi},
    {"GiB", "bytes", kKibi* kKibi* kKibi},
    {"TB", "bytes", kKibi* kKibi* kKibi* kKibi},
    {"TiB", "bytes", kKibi* kKibi* kKibi* kKibi},
};

const Unit* FindUnit(const std::string& uom) {
  for (const Unit& unit : kUnits)
    if (uom == unit.uom) return &unit;
  return nullptr;
}

std::vector<std::string> SplitFields(const std::string& text) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t semicolon = text.find(';', start);
    fields.push_back(text.substr(start, semicolon - start));
    if (semicolon == std::string::npos) return fields;
    start = semicolon + 1;
  }
}

// One item from its label and the text after '=' ("12ms;10;20;0;").
std::optional<checker::Measurement> ParseItem(std::string label, const std::string& text) {
  std::vector<std::string> fields = SplitFields(text);
  if (label.empty() || fields.size() > 5) return std::nullopt;
  fields.resize(5);
  const std::string& value_and_uom = fields[0];
  const std::size_t number_length = NumberLength(value_and_uom);
  if (number_length == 0) return std::nullopt;
  const Unit* unit = FindUnit(value_and_uom.substr(number_length));
  auto value = ToNumber(value_and_uom.substr(0, number_length));
  if (!unit || !value) return std::nullopt;
  for (int i : {1, 2})
    if (!fields[i].empty() && !IsRange(fields[i])) return std::nullopt;
  for (int i : {3, 4})
    if (!fields[i].empty() && !IsNumber(fields[i])) return std::nullopt;

  checker::Measurement measurement;
  measurement.label = std::move(label);
  measurement.value = *value * unit->factor;
  measurement.unit = unit->name;
  measurement.warning = fields[1];
  measurement.critical = fields[2];
  measurement.min = fields[3];
  measurement.max = fields[4];
  return measurement;
}

}  // namespace

std::vector<checker::Measurement> ParsePerfdata(const std::string& text) {
  std::vector<checker::Measurement> measurements;
  const std::size_t n = text.size();
  std::size_t i = 0;
  auto skip_item = [&] {
    while (i < n && !IsSpace(text[i])) ++i;
  };
  while (i < n) {
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    const std::size_t item_start = i;
    std::string label;
    bool well_formed = true;
    if (text[i] == '\'') {
      for (++i;; ++i) {
        if (i >= n) {
          // An unterminated quote: the item ends at the first whitespace after it.
          i = item_start;
          break;
        }
        if (text[i] != '\'') {
          label += text[i];
        } else if (i + 1 < n && text[i + 1] == '\'') {
          label += '\'';
          ++i;
        } else {
          ++i;
          break;
        }
      }
      well_formed = i < n && text[i] == '=';
    } else {
      while (i < n && text[i] != '=' && !IsSpace(text[i])) label += text[i++];
      well_formed = i < n && text[i] == '=';
    }
    if (!well_formed) {
      skip_item();
      continue;
    }
    const std::size_t start = ++i;
    skip_item();
    if (auto measurement = ParseItem(std::move(label), text.substr(start, i - start)))
      measurements.push_back(std::move(*measurement));
  }
  return measurements;
}

}  // namespace nagios
