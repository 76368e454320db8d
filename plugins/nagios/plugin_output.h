// What a Nagios plugin prints on standard output, taken apart:
//
//   SUMMARY | PERFDATA
//   LONG TEXT
//   ...
//   LONG TEXT | PERFDATA
//   PERFDATA
//
// The first line is the summary, up to an optional "|" that starts performance
// data. In the lines after it, everything after the first "|" is more
// performance data.
#pragma once

#include <string>

namespace nagios {

struct PluginOutput {
  std::string summary;   // the first line up to "|", without surrounding whitespace
  std::string perfdata;  // every part of performance data, joined by a space
};

// `cut` says that `text` is only the start of the output. Its last line is then
// incomplete, so its performance data is left out: a number cut short would be
// a wrong number.
PluginOutput SplitPluginOutput(const std::string& text, bool cut);

}  // namespace nagios
