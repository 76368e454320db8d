#include "plugin_output.h"

namespace nagios {
namespace {

std::string Trim(const std::string& text) {
  const char* space = " \t\r\n\f\v";
  const std::size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

}  // namespace

PluginOutput SplitPluginOutput(const std::string& text, bool cut) {
  PluginOutput output;
  const std::size_t first_newline = text.find('\n');
  const std::string first_line = text.substr(0, first_newline);
  const std::size_t bar = first_line.find('|');
  output.summary = Trim(first_line.substr(0, bar));
  if (cut && first_newline == std::string::npos) return output;
  if (bar != std::string::npos) output.perfdata = first_line.substr(bar + 1);
  if (first_newline == std::string::npos) return output;

  std::string rest = text.substr(first_newline + 1);
  if (cut) {
    const std::size_t last_newline = rest.rfind('\n');
    rest.resize(last_newline == std::string::npos ? 0 : last_newline + 1);
  }
  const std::size_t long_text_bar = rest.find('|');
  if (long_text_bar != std::string::npos) output.perfdata += " " + rest.substr(long_text_bar + 1);
  return output;
}

}  // namespace nagios
