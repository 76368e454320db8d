#include "util/text.h"

#include <algorithm>
#include <cstdio>

namespace checker {

std::string OneLine(const std::string& text) {
  std::string line = text;
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

std::string Shorten(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes > 3 ? max_bytes - 3 : 0;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

std::size_t Utf8SequenceLength(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
  }
  // Not overlong, no UTF-16 surrogate, nothing beyond U+10FFFF.
  const unsigned char second = length > 1 ? byte(at + 1) : 0;
  if (lead == 0xc0 || lead == 0xc1 || lead > 0xf4 || (lead == 0xe0 && second < 0xa0) ||
      (lead == 0xed && second >= 0xa0) || (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second >= 0x90)) {
    return 0;
  }
  return length;
}

bool IsValidUtf8(const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

std::size_t DisplayWidth(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t at = 0; at < text.size(); ++width) {
    const std::size_t length = Utf8SequenceLength(text, at);
    at += length ? length : 1;
  }
  return width;
}

std::string JsonTime(const std::optional<UnixTime>& time) {
  std::string out;
  AppendJsonTime(out, time);
  return out;
}

void AppendJsonTime(std::string& out, const std::optional<UnixTime>& time) {
  if (time)
    AppendJsonString(out, FormatIsoUtc(*time));
  else
    out += "null";
}

std::string JsonString(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  std::size_t plain = 0;  // where the run of characters written as they are began
  for (std::size_t at = 0; at < text.size(); ++at) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    out.append(text, plain, at - plain);
    if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(text, at);
      if (length)
        out.append(text, at, length);
      else
        out += "\ufffd";
      at += length ? length - 1 : 0;
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    }
    plain = at + 1;
  }
  out.append(text, plain, std::string::npos);
  out += '"';
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of neighbours each cost 1.
std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t length = Utf8SequenceLength(text, at);
      out += length ? text.substr(at, length) : "\ufffd";
      at += length ? length - 1 : 0;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string NearestWord(const std::string& word, const std::vector<std::string>& candidates) {
  // Up to one edit in a short word, two in a long one.
  const std::size_t allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    if (candidate == word) continue;
    const std::size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

bool IsEmailAddress(const std::string& text) {
  std::string address = text;
  if (auto open = text.find('<'); open != std::string::npos) {
    if (text.back() != '>') return false;
    address = text.substr(open + 1, text.size() - open - 2);
  }
  const auto at = address.find('@');
  return at != std::string::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string::npos && address.find_first_of(" \t=;,<>\"") == std::string::npos;
}

}  // namespace checker
