#include "config/key_usage.h"

#include "util/text.h"

namespace checker {

std::vector<std::string> KeyUsage::UnknownEntries(const SettingsFile& file,
                                                  const std::vector<std::string>& known_sections) const {
  std::vector<std::string> warnings;
  for (const auto& section : file.sections()) {
    if (!SectionRead(section.name)) {
      const std::string nearest = NearestWord(section.name, known_sections);
      warnings.push_back(file.path() + ":" + std::to_string(section.line) + ": unknown section [" + section.name + "]" +
                         (nearest.empty() ? "" : "; did you mean [" + nearest + "]?"));
      continue;
    }
    if (whole_sections_.count(section.name)) continue;
    std::vector<std::string> known_keys;
    for (auto it = keys_.lower_bound({section.name, ""}); it != keys_.end() && it->first == section.name; ++it) {
      known_keys.push_back(it->second);
    }
    for (const auto& value : section.values) {
      if (!keys_.count({section.name, value.key})) {
        const std::string nearest = NearestWord(value.key, known_keys);
        warnings.push_back(file.path() + ":" + std::to_string(value.line) + ": [" + section.name + "] unknown key '" +
                           value.key + "'" + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
      }
    }
  }
  return warnings;
}

}  // namespace checker
