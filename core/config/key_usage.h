// KeyUsage: which sections and keys of settings.cfg the core and the plugins
// have read. Whatever nothing read is reported as unknown once everything is
// loaded, so a misspelt key does not pass in silence.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/settings_file.h"

namespace checker {

class KeyUsage {
 public:
  void MarkSection(const std::string& section) { sections_.insert(section); }
  // Marks the section too.
  void MarkKey(const std::string& section, const std::string& key) {
    sections_.insert(section);
    keys_.emplace(section, key);
  }
  // Every key of `section` counts as read (its owner reports it otherwise).
  void MarkWholeSection(const std::string& section) { whole_sections_.insert(section); }

  // A warning "path:line: ..." for every section and key that nothing read,
  // naming the nearest known key of its section, or the nearest of
  // `known_sections`, when one is close enough to be a typo.
  std::vector<std::string> UnknownEntries(const SettingsFile& file,
                                          const std::vector<std::string>& known_sections = {}) const;

 private:
  bool SectionRead(const std::string& section) const {
    return sections_.count(section) || whole_sections_.count(section);
  }

  std::set<std::string> sections_;
  std::set<std::string> whole_sections_;
  std::set<std::pair<std::string, std::string>> keys_;
};

}  // namespace checker
