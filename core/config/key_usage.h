// KeyUsage: which sections and keys of settings.cfg the core and the plugins
// have read. Whatever nothing read is reported as unknown once everything is
// loaded, so a misspelt key does not pass in silence.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/settings_file.h"

namespace checker {

class KeyUsage {
 public:
  void MarkSection(const std::string& section) { keys_[section]; }
  // Marks the section too.
  void MarkKey(const std::string& section, const std::string& key) {
    std::vector<std::string>& keys = keys_[section];
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
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

  // Each section read and the keys read in it, hashed by section, its keys
  // in a short list (a section has a few dozen keys at most, mostly short
  // enough to need no allocation): a configuration of ten thousand jobs
  // marks some twenty keys per job.
  std::unordered_map<std::string, std::vector<std::string>> keys_;
  std::unordered_set<std::string> whole_sections_;
};

}  // namespace checker
