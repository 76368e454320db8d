#include "command_line.h"

namespace nagios {
namespace {

bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Inside double quotes a backslash escapes only these (and a newline).
bool EscapableInDoubleQuotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n'; }

}  // namespace

CommandLine SplitCommandLine(const std::string& text) {
  CommandLine line;
  std::string word;
  bool in_word = false;  // a word has begun, even if it is still empty ('' is a word)
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (IsSeparator(c)) {
      if (in_word) line.words.push_back(word);
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\'') {
      const std::size_t close = text.find('\'', i + 1);
      if (close == std::string::npos) return {{}, "has an unterminated single quote"};
      word.append(text, i + 1, close - i - 1);
      in_word = true;
      i = close + 1;
    } else if (c == '"') {
      ++i;
      for (;;) {
        if (i >= n) return {{}, "has an unterminated double quote"};
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < n && EscapableInDoubleQuotes(text[i + 1])) {
          if (text[i + 1] != '\n') word += text[i + 1];
          i += 2;
        } else {
          word += text[i++];
        }
      }
      in_word = true;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= n) return {{}, "ends with a lone backslash"};
      // A backslash-newline joins lines, as in a shell.
      if (text[i + 1] != '\n') {
        word += text[i + 1];
        in_word = true;
      }
      i += 2;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) line.words.push_back(word);
  return line;
}

}  // namespace nagios
