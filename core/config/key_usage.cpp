#include "config/key_usage.h"

#include <algorithm>

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
    const auto read = keys_.find(section.name);
    static const std::vector<const std::string*> kNone;
    const std::vector<const std::string*>& read_keys = read == keys_.end() ? kNone : read->second;
    for (const auto& value : section.values) {
      const auto named = key_names_.find(value.key);
      if (named == key_names_.end() || std::find(read_keys.begin(), read_keys.end(), &*named) == read_keys.end()) {
        std::vector<std::string> known_keys;
        for (const std::string* key : read_keys) known_keys.push_back(*key);
        std::sort(known_keys.begin(), known_keys.end());  // the nearest key is the first of equals, in order
        const std::string nearest = NearestWord(value.key, known_keys);
        warnings.push_back(file.path() + ":" + std::to_string(value.line) + ": [" + section.name + "] unknown key '" +
                           value.key + "'" + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
      }
    }
  }
  return warnings;
}

}  // namespace checker
