#include "config/key_usage.h"

namespace checker {

std::vector<std::string> KeyUsage::UnknownEntries(const SettingsFile& file) const {
  std::vector<std::string> warnings;
  for (const auto& section : file.sections()) {
    if (!SectionRead(section.name)) {
      warnings.push_back(file.path() + ":" + std::to_string(section.line) + ": unknown section [" + section.name + "]");
      continue;
    }
    if (whole_sections_.count(section.name)) continue;
    for (const auto& value : section.values) {
      if (!keys_.count({section.name, value.key})) {
        warnings.push_back(file.path() + ":" + std::to_string(value.line) + ": [" + section.name + "] unknown key '" +
                           value.key + "'");
      }
    }
  }
  return warnings;
}

}  // namespace checker
