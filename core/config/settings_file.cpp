#include "config/settings_file.h"

#include <ini.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace checker {
namespace {

// inih reads through this so that we know the line it is on (Debian builds
// inih without INI_HANDLER_LINENO), see section headers of empty sections,
// and can tell a continuation line from a repeated key.
struct ParseState {
  SettingsFile* file;
  std::vector<std::string>* errors;
  std::istringstream input;
  int line_number = 0;
  std::string line;
  std::vector<SettingsSection>* sections;
  bool after_key = false;  // inih reads an indented line after a key as its continuation
};

char* ReadLine(char* buffer, int size, void* stream) {
  auto& state = *static_cast<ParseState*>(stream);
  if (!std::getline(state.input, state.line)) return nullptr;
  ++state.line_number;
  if (!state.line.empty() && state.line.back() == '\r') state.line.pop_back();
  if (state.line_number == 1 && state.line.compare(0, 3, "\xEF\xBB\xBF") == 0) state.line.erase(0, 3);  // a UTF-8 BOM
  const auto longest = static_cast<std::size_t>(size - 1);
  if (state.line.size() > longest) {
    state.errors->push_back(state.file->path() + ":" + std::to_string(state.line_number) + ": line is longer than " +
                            std::to_string(longest) +
                            " characters (inih's limit); continue the value on an indented line");
    state.line.clear();  // inih sees an empty line; the rest of the file is still read
  }
  std::string trimmed = Trim(state.line);
  const bool indented = !state.line.empty() && (state.line[0] == ' ' || state.line[0] == '\t');
  if (trimmed.size() > 1 && trimmed.front() == '[' && !(indented && state.after_key)) {
    state.after_key = false;
    auto close = trimmed.find(']');
    if (close != std::string::npos) {
      std::string name = trimmed.substr(1, close - 1);
      for (const auto& earlier : *state.sections) {
        if (earlier.name == name) {
          state.errors->push_back(state.file->path() + ":" + std::to_string(state.line_number) + ": section [" + name +
                                  "] appears twice (first on line " + std::to_string(earlier.line) + ")");
        }
      }
      state.sections->push_back({name, state.line_number, {}});
    }
  }
  std::string text = state.line + "\n";
  if (text.size() > longest) text.resize(longest);
  text.copy(buffer, text.size());
  buffer[text.size()] = '\0';
  return buffer;
}

int OnValue(void* user, const char* section, const char* key, const char* value) {
  auto& state = *static_cast<ParseState*>(user);
  state.after_key = true;
  if (state.sections->empty() || state.sections->back().name != section) {
    state.errors->push_back(state.file->path() + ":" + std::to_string(state.line_number) + ": key outside a section");
    return 1;
  }
  auto& current = state.sections->back();
  const bool continuation = !state.line.empty() && (state.line[0] == ' ' || state.line[0] == '\t');
  if (continuation && !current.values.empty() && current.values.back().key == key) {
    current.values.back().value += std::string(" ") + value;
    return 1;
  }
  for (const auto& existing : current.values) {
    if (existing.key == key) {
      state.errors->push_back(state.file->path() + ":" + std::to_string(state.line_number) + ": [" + current.name +
                              "] " + key + ": set twice (first on line " + std::to_string(existing.line) + ")");
      return 1;
    }
  }
  current.values.push_back({key, value, state.line_number});
  return 1;
}

}  // namespace

SettingsFile SettingsFile::Parse(const std::string& path, std::vector<std::string>& errors) {
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    errors.push_back(path + ": is a directory, not a settings file");
    SettingsFile file;
    file.path_ = path;
    return file;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(path + ": cannot read the configuration file: " + std::strerror(errno));
    SettingsFile file;
    file.path_ = path;
    return file;
  }
  std::stringstream content;
  content << in.rdbuf();
  return ParseText(path, content.str(), errors);
}

SettingsFile SettingsFile::ParseText(const std::string& path, const std::string& text,
                                     std::vector<std::string>& errors) {
  SettingsFile file;
  file.path_ = path;
  file.text_ = text;
  ParseState state{&file, &errors, std::istringstream(text), 0, "", &file.sections_, false};
  const int first_bad_line = ini_parse_stream(ReadLine, &state, OnValue, &state);
  for (std::size_t i = 0; i < file.sections_.size(); ++i) file.index_.emplace(file.sections_[i].name, i);
  if (first_bad_line > 0) {
    errors.push_back(path + ":" + std::to_string(first_bad_line) +
                     ": cannot parse this line (expected [section], key = value, or a comment)");
  }
  return file;
}

const SettingsSection* SettingsFile::FindSection(const std::string& name) const {
  auto found = index_.find(name);
  return found == index_.end() ? nullptr : &sections_[found->second];
}

const SettingsValue* SettingsFile::Find(const std::string& section_name, const std::string& key) const {
  const SettingsSection* section = FindSection(section_name);
  if (!section) return nullptr;
  for (const auto& value : section->values) {
    if (value.key == key) return &value;
  }
  return nullptr;
}

std::optional<std::string> SettingsFile::Get(const std::string& section, const std::string& key) const {
  if (const SettingsValue* value = Find(section, key)) return value->value;
  return std::nullopt;
}

std::string SettingsFile::Where(const std::string& section_name, const std::string& key) const {
  int line = 0;
  for (const auto& section : sections_) {
    if (section.name != section_name) continue;
    line = section.line;
    for (const auto& value : section.values) {
      if (value.key == key) line = value.line;
    }
  }
  std::string where = path_;
  if (line > 0) where += ":" + std::to_string(line);
  return where + ": [" + section_name + "] " + key;
}

}  // namespace checker
