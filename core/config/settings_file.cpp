#include "config/settings_file.h"

#include <fcntl.h>
#include <ini.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <unordered_map>

namespace checker {
namespace {

// inih's longest section name (INI_MAX_SECTION less its NUL); a longer one
// reaches the handler cut short.
constexpr std::size_t kLongestSectionName = 49;

// inih reads through this so that we know the line it is on (Debian builds
// inih without INI_HANDLER_LINENO), see section headers of empty sections,
// and can tell a continuation line from a repeated key.
struct ParseState {
  SettingsFile* file;
  std::vector<std::string>* errors;
  std::vector<std::string>* warnings;
  const std::string* text;
  std::size_t next = 0;  // where the next line of `text` begins
  int line_number = 0;
  std::string line;
  std::vector<SettingsSection>* sections;
  std::unordered_map<std::string, std::size_t>* index;  // the first section of each name
  bool after_key = false;                               // inih reads an indented line after a key as its continuation

  void Error(const std::string& message) {
    errors->push_back(file->path() + ":" + std::to_string(line_number) + ": " + message);
  }
};

// The section a header line opens: its checks, and a record of its line.
void OpenSection(ParseState& state, const std::string& name) {
  if (name.size() > kLongestSectionName) {
    state.Error("section names are at most " + std::to_string(kLongestSectionName) + " characters; [" + name +
                "] has " + std::to_string(name.size()));
  }
  if (!IsValidUtf8(name)) state.Error("the section name is not valid UTF-8");
  auto [first, added] = state.index->emplace(name, state.sections->size());
  if (!added) {
    state.Error("section [" + name + "] appears twice (first on line " +
                std::to_string((*state.sections)[first->second].line) + ")");
  }
  state.sections->push_back({name, state.line_number, {}});
}

char* ReadLine(char* buffer, int size, void* stream) {
  auto& state = *static_cast<ParseState*>(stream);
  const std::string& text = *state.text;
  if (state.next >= text.size()) return nullptr;
  std::size_t end = text.find('\n', state.next);
  if (end == std::string::npos) end = text.size();
  state.line.assign(text, state.next, end - state.next);
  state.next = end + 1;
  ++state.line_number;
  if (!state.line.empty() && state.line.back() == '\r') state.line.pop_back();
  if (state.line_number == 1 && state.line.compare(0, 3, "\xEF\xBB\xBF") == 0) state.line.erase(0, 3);  // a UTF-8 BOM
  const auto longest = static_cast<std::size_t>(size - 1);
  if (state.line.size() > longest) {
    state.Error("line is longer than " + std::to_string(longest) +
                " characters (inih's limit); continue the value on an indented line (end a line with \\ to join "
                "the parts without a space)");
    state.line.clear();  // inih sees an empty line; the rest of the file is still read
  }
  if (state.line.find('\0') != std::string::npos) {
    state.Error("the line holds a NUL byte");
    state.line.clear();
  }
  const std::size_t first = state.line.find_first_not_of(" \t\r\n");
  const std::size_t last = state.line.find_last_not_of(" \t\r\n");
  const std::string_view trimmed =
      first == std::string::npos ? std::string_view() : std::string_view(state.line).substr(first, last - first + 1);
  const bool indented = !state.line.empty() && (state.line[0] == ' ' || state.line[0] == '\t');
  const bool continuation = indented && state.after_key;
  if (trimmed.size() > 1 && trimmed.front() == '[' && !continuation) {
    state.after_key = false;
    auto close = trimmed.find(']');
    if (close != std::string::npos) OpenSection(state, std::string(trimmed.substr(1, close - 1)));
  } else if (!continuation && !trimmed.empty() && trimmed.front() != ';' && trimmed.front() != '#') {
    const auto separator = trimmed.find_first_of("=:");
    if (separator != std::string::npos && trimmed[separator] == ':') {
      state.warnings->push_back(state.file->path() + ":" + std::to_string(state.line_number) +
                                ": read as 'key = value' (inih accepts ':' too); write '=', the separator checker "
                                "documents");
    }
  }
  // The line as inih expects it from fgets: with its newline, cut to fit.
  std::size_t length = state.line.copy(buffer, longest);
  if (length < longest) buffer[length++] = '\n';
  buffer[length] = '\0';
  return buffer;
}

int OnValue(void* user, const char* section, const char* key, const char* value) {
  auto& state = *static_cast<ParseState*>(user);
  state.after_key = true;
  // inih cuts a long section name short: the section is still the one opened last.
  const bool in_last_section =
      !state.sections->empty() && (state.sections->back().name == section ||
                                   (state.sections->back().name.size() > kLongestSectionName &&
                                    state.sections->back().name.compare(0, kLongestSectionName, section) == 0));
  if (!in_last_section) {
    state.Error("key outside a section");
    return 1;
  }
  auto& current = state.sections->back();
  const bool continuation = !state.line.empty() && (state.line[0] == ' ' || state.line[0] == '\t');
  if (continuation && !current.values.empty() && current.values.back().key == key) {
    // A part after a line that ends in "\" joins without a space.
    std::string& joined = current.values.back().value;
    if (!joined.empty() && joined.back() == '\\')
      joined.pop_back();
    else
      joined += ' ';
    joined += value;
    return 1;
  }
  for (const auto& existing : current.values) {
    if (existing.key == key) {
      state.Error("[" + current.name + "] " + key + ": set twice (first on line " + std::to_string(existing.line) +
                  ")");
      return 1;
    }
  }
  current.values.push_back({key, value, state.line_number});
  return 1;
}

// The whole file, read without waiting on a FIFO or reading a device
// without end.
Result<std::string> ReadSettingsText(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Status::Error(std::string("cannot read the configuration file: ") + std::strerror(errno));
  struct stat info {};
  std::string text;
  Status status = Status::Ok();
  if (fstat(fd, &info) != 0) {
    status = Status::Error(std::string("cannot read the configuration file: ") + std::strerror(errno));
  } else if (S_ISDIR(info.st_mode)) {
    status = Status::Error("is a directory, not a settings file");
  } else if (!S_ISREG(info.st_mode)) {
    status = Status::Error("is not a regular file (a FIFO or a device cannot be a settings file)");
  } else {
    char buffer[65536];
    for (;;) {
      const ssize_t got = read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        status = Status::Error(std::string("cannot read the configuration file: ") + std::strerror(errno));
        break;
      }
      if (got == 0) break;
      text.append(buffer, static_cast<std::size_t>(got));
      if (text.size() > SettingsFile::kMaxBytes) {
        status = Status::Error("is larger than " + std::to_string(SettingsFile::kMaxBytes >> 20) +
                               " MiB, the most checker reads as a settings file");
        break;
      }
    }
  }
  close(fd);
  if (!status.ok()) return status;
  return text;
}

}  // namespace

SettingsFile SettingsFile::Parse(const std::string& path, std::vector<std::string>& errors) {
  Result<std::string> text = ReadSettingsText(path);
  if (!text.ok()) {
    errors.push_back(path + ": " + text.error());
    SettingsFile file;
    file.path_ = path;
    return file;
  }
  return ParseText(path, *text, errors);
}

SettingsFile SettingsFile::ParseText(const std::string& path, const std::string& text,
                                     std::vector<std::string>& errors) {
  SettingsFile file;
  file.path_ = path;
  file.text_ = text;
  // Room for the sections at once: about as many as lines that begin with
  // "[", up to the 100,000 jobs a file is meant to hold.
  std::size_t headers = text.compare(0, 1, "[") == 0;
  for (std::size_t at = text.find("\n["); at != std::string::npos && headers < 100000; at = text.find("\n[", at + 1)) {
    headers++;
  }
  file.sections_.reserve(headers);
  file.index_.reserve(headers);
  ParseState state{&file, &errors, &file.warnings_, &text, 0, 0, "", &file.sections_, &file.index_, false};
  const int first_bad_line = ini_parse_stream(ReadLine, &state, OnValue, &state);
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
  return section ? section->Find(key) : nullptr;
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
