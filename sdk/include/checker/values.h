// Parsers for the value types of settings.cfg: booleans, durations, byte
// sizes and lists. The core and plugins share them so that a value means the
// same thing in every section. Each parser returns std::nullopt for text it
// does not accept; callers report the file, line and key.
#pragma once

#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace checker {

// `text` without leading and trailing blanks (spaces, tabs, CR, LF).
inline std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// The items of a `separator`-separated list ("a, b,c"), each trimmed; empty
// items are dropped.
inline std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string item = Trim(text.substr(start, end - start));
    if (!item.empty()) items.push_back(std::move(item));
    start = end + 1;
  }
  return items;
}

// "true/yes/on/1" or "false/no/off/0", any case.
inline std::optional<bool> ParseBool(const std::string& text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") return false;
  return std::nullopt;
}

// A whole number with an optional one-letter suffix whose multiplier the
// caller gives (suffix_multipliers maps 's' -> 1, 'm' -> 60, ...).
template <typename SuffixToMultiplier>
std::optional<std::int64_t> ParseScaled(const std::string& text, SuffixToMultiplier multiplier_of) {
  std::size_t i = 0;
  std::int64_t number = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    const int digit = text[i] - '0';
    if (number > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    number = number * 10 + digit;
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::int64_t multiplier = 1;
  if (i < text.size()) {
    if (i + 1 != text.size()) return std::nullopt;
    multiplier = multiplier_of(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
    if (multiplier == 0) return std::nullopt;
  }
  if (number > std::numeric_limits<std::int64_t>::max() / multiplier) return std::nullopt;
  return number * multiplier;
}

// Seconds from "90", "90s", "15m", "25h" or "2d".
inline std::optional<std::int64_t> ParseDuration(const std::string& text) {
  return ParseScaled(text, [](char suffix) -> std::int64_t {
    switch (suffix) {
      case 's':
        return 1;
      case 'm':
        return 60;
      case 'h':
        return 3600;
      case 'd':
        return 86400;
      default:
        return 0;
    }
  });
}

// Bytes from "65536", "64K" or "1M" (binary multiples).
inline std::optional<std::int64_t> ParseByteSize(const std::string& text) {
  return ParseScaled(text, [](char suffix) -> std::int64_t {
    switch (suffix) {
      case 'k':
        return 1024;
      case 'm':
        return 1024 * 1024;
      case 'g':
        return 1024 * 1024 * 1024;
      default:
        return 0;
    }
  });
}

}  // namespace checker
