// KeyUsage: which sections and keys of settings.cfg the core and the plugins
// have read. Whatever nothing read is reported as unknown once everything is
// loaded, so a misspelt key does not pass in silence.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/settings_file.h"

namespace checker {

class KeyUsage {
 public:
  KeyUsage() = default;
  // Not copied: it points into itself.
  KeyUsage(const KeyUsage&) = delete;
  KeyUsage& operator=(const KeyUsage&) = delete;

  void MarkSection(const std::string& section) { KeysOf(section); }
  // Marks the section too.
  void MarkKey(const std::string& section, const std::string& key) {
    std::vector<const std::string*>& keys = KeysOf(section);
    const std::string* name = &*key_names_.insert(key).first;
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) keys.push_back(name);
  }
  // Every key of `section` counts as read (its owner reports it otherwise).
  void MarkWholeSection(const std::string& section) { whole_sections_.insert(section); }

  // A warning "path:line: ..." for every section and key that nothing read,
  // naming the nearest known key of its section, or the nearest of
  // `known_sections`, when one is close enough to be a typo.
  std::vector<std::string> UnknownEntries(const SettingsFile& file,
                                          const std::vector<std::string>& known_sections = {}) const;

 private:
  bool SectionRead(const std::string& section) const { return keys_.count(section) || whole_sections_.count(section); }
  // A job's keys are read one after another, so the section read last is
  // found without hashing its name again (the map's nodes never move).
  std::vector<const std::string*>& KeysOf(const std::string& section) {
    if (!last_keys_ || section != last_section_) {
      last_keys_ = &keys_[section];
      last_section_ = section;
    }
    return *last_keys_;
  }

  // Each section read and the keys read in it, hashed by section. A key's
  // name is kept once however many sections read it (ten thousand jobs read
  // the same twenty keys), so a section's list holds addresses in
  // key_names_, compared without reading the names.
  std::unordered_map<std::string, std::vector<const std::string*>> keys_;
  std::unordered_set<std::string> key_names_;
  std::unordered_set<std::string> whole_sections_;
  std::string last_section_;
  std::vector<const std::string*>* last_keys_ = nullptr;
};

}  // namespace checker
