// A command line as settings.cfg writes it, split into the words of a program's
// argv the way a POSIX shell splits them, but without a shell: quotes and
// backslashes are honoured, nothing is expanded ($VAR, *, ~ and `...` stay as
// written) and |, ; or > are plain characters, not operators.
#pragma once

#include <string>
#include <vector>

namespace nagios {

struct CommandLine {
  std::vector<std::string> words;
  std::string error;  // why the text is not a command line; empty when it is one

  bool ok() const { return error.empty(); }
};

// Spaces, tabs and newlines separate words. 'single quotes' keep everything
// literally; "double quotes" keep everything but \" \\ \$ \` (and a quoted
// backslash-newline, which disappears); outside quotes a backslash keeps the
// next character. An unterminated quote or a trailing lone backslash is an
// error.
CommandLine SplitCommandLine(const std::string& text);

}  // namespace nagios
