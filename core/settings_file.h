// SettingsFile: settings.cfg as inih reads it, with the line of every value.
//
// It only stores text. Typed settings are made by Config (the core's sections)
// and by plugins through PluginSettings. Every read marks a key as known, so
// whatever nobody read can be reported as unknown after everything is loaded.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace checker {

struct SettingsValue {
  std::string key;
  std::string value;
  int line = 0;
  bool known = false;
};

struct SettingsSection {
  std::string name;
  int line = 0;
  bool known = false;
  std::vector<SettingsValue> values;
};

// `text` without leading and trailing blanks (spaces, tabs, CR, LF).
std::string Trim(const std::string& text);

class SettingsFile {
 public:
  // Parses `path`. Syntax errors, over-long lines and duplicate keys are added
  // to `errors` as "path:line: ..." and the rest of the file is still read.
  static SettingsFile Parse(const std::string& path, std::vector<std::string>& errors);

  const std::string& path() const { return path_; }
  std::vector<SettingsSection>& sections() { return sections_; }
  const std::vector<SettingsSection>& sections() const { return sections_; }

  SettingsSection* FindSection(const std::string& name);
  // The value of key in section, marked known; nullptr when absent.
  SettingsValue* Find(const std::string& section, const std::string& key);
  std::optional<std::string> Get(const std::string& section, const std::string& key);

  // "path:line: [section] key: message"; the line is the key's, else the section's.
  std::string Where(const std::string& section, const std::string& key) const;

  // Warnings for every section and key that nothing read.
  std::vector<std::string> UnknownEntries() const;

 private:
  std::string path_;
  std::vector<SettingsSection> sections_;
  std::unordered_map<std::string, std::size_t> index_;  // first section of each name
};

}  // namespace checker
