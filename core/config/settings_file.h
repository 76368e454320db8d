// SettingsFile: settings.cfg as inih reads it, with the line of every value.
//
// It only stores text, and does not change once parsed. Typed settings are
// made by Config (the core's sections) and by plugins through PluginSettings;
// KeyUsage records what they read.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/status.h"
#include "util/text.h"

namespace checker {

struct SettingsValue {
  std::string key;
  std::string value;
  int line = 0;
};

struct SettingsSection {
  std::string name;
  int line = 0;
  std::vector<SettingsValue> values;

  // The value of key; nullptr when absent.
  const SettingsValue* Find(const std::string& key) const {
    for (const auto& value : values) {
      if (value.key == key) return &value;
    }
    return nullptr;
  }
};

class SettingsFile {
 public:
  // The largest settings file read (room for 100,000 jobs); a larger one is an
  // error.
  static constexpr std::size_t kMaxBytes = 16 << 20;

  // Parses `path`. Syntax errors, over-long lines and duplicate keys are added
  // to `errors` as "path:line: ..." and the rest of the file is still read.
  static SettingsFile Parse(const std::string& path, std::vector<std::string>& errors);
  // The same for text read earlier from `path` (such as a saved copy).
  static SettingsFile ParseText(const std::string& path, const std::string& text, std::vector<std::string>& errors);

  const std::string& path() const { return path_; }
  // The file's text as it was read.
  const std::string& text() const { return text_; }
  const std::vector<SettingsSection>& sections() const { return sections_; }
  // What was read but deserves a word ("path:line: ..."), such as "key: value".
  const std::vector<std::string>& warnings() const { return warnings_; }

  const SettingsSection* FindSection(const std::string& name) const;
  // The value of key in section; nullptr when absent.
  const SettingsValue* Find(const std::string& section, const std::string& key) const;
  std::optional<std::string> Get(const std::string& section, const std::string& key) const;

  // "path:line: [section] key"; the line is the key's, else the section's.
  std::string Where(const std::string& section, const std::string& key) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<SettingsSection> sections_;
  std::vector<std::string> warnings_;
  std::unordered_map<std::string, std::size_t> index_;  // first section of each name
};

}  // namespace checker
