// Text helpers shared by every layer: making text safe for one line of a
// header or log, UTF-8 widths, JSON string literals, HTML text and email
// addresses.
// Trim and SplitList come from the SDK (<checker/values.h>), so that plugins
// and the core split values alike.
#pragma once

#include <checker/values.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"

namespace checker {

// `text` with CR, LF and every other control character replaced by a space,
// so that it cannot break a header line or a log line.
std::string OneLine(const std::string& text);

// `text` cut to at most `max_bytes`, ending in "..." when cut, and never in
// the middle of a UTF-8 character.
std::string Shorten(const std::string& text, std::size_t max_bytes);

// The length of the valid UTF-8 sequence at text[at], or 0 if there is none.
std::size_t Utf8SequenceLength(const std::string& text, std::size_t at);

// Whether all of `text` is valid UTF-8.
bool IsValidUtf8(const std::string& text);

// The number of characters a terminal shows for `text` (UTF-8 sequences
// count once; invalid bytes count one each).
std::size_t DisplayWidth(const std::string& text);

// A JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD, so
// the JSON stays valid whatever a job said.
std::string JsonString(const std::string& text);
// A time as a JSON string, "2026-11-21T22:40:00Z", or null.
std::string JsonTime(const std::optional<UnixTime>& time);
// The same, appended to `out` (for documents of many values).
void AppendJsonString(std::string& out, const std::string& text);
void AppendJsonTime(std::string& out, const std::optional<UnixTime>& time);

// `text` made safe as HTML text or as a quoted attribute's value: & < > " '
// become character references, and invalid UTF-8 becomes U+FFFD, so that
// whatever a job said shows as the text it is.
std::string HtmlEscape(const std::string& text);

// The candidate closest to `word` by edit distance, when it is close enough
// to be a likely typo ("tpc" -> "tcp"); empty otherwise.
std::string NearestWord(const std::string& word, const std::vector<std::string>& candidates);

// "ops@example.com" or "Ops <ops@example.com>".
bool IsEmailAddress(const std::string& text);

}  // namespace checker
