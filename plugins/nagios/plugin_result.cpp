#include "plugin_result.h"

#include <string.h>
#include <sys/wait.h>

#include <cctype>

#include "perfdata.h"
#include "plugin_output.h"

namespace nagios {
namespace {

const char* StateWord(int exit_status) {
  switch (exit_status) {
    case 0:
      return "OK";
    case 1:
      return "WARNING";
    case 2:
      return "CRITICAL";
    default:
      return "UNKNOWN";
  }
}

bool IsWordCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether `word` appears in `text` as a whole word ("OK" is not in "LOOKUP").
bool HasWord(const std::string& text, const std::string& word) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !IsWordCharacter(text[at - 1]);
    const std::size_t after = at + word.size();
    if (starts && (after == text.size() || !IsWordCharacter(text[after]))) return true;
  }
  return false;
}

std::string DescribeEnd(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    const char* name = sigabbrev_np(WTERMSIG(wait_status));
    return "killed by " + (name ? "SIG" + std::string(name) : "signal " + std::to_string(WTERMSIG(wait_status)));
  }
  return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
}

std::string LastLine(const std::string& text) {
  const char* space = " \t\r\n";
  const std::size_t end = text.find_last_not_of(space);
  if (end == std::string::npos) return "";
  const std::size_t newline = text.rfind('\n', end);
  const std::size_t start = text.find_first_not_of(space, newline == std::string::npos ? 0 : newline + 1);
  return text.substr(start, end - start + 1);
}

}  // namespace

checker::JobResult JudgePluginRun(const PluginRun& run, WarningMeans warning, int timeout_seconds) {
  if (!run.start_error.empty()) return {false, run.start_error};
  const PluginOutput output = SplitPluginOutput(run.output, run.output_cut);
  std::vector<checker::Measurement> measurements = ParsePerfdata(output.perfdata);
  if (run.timed_out) return {false, "timed out after " + std::to_string(timeout_seconds) + " s", measurements};

  const bool exited = WIFEXITED(run.wait_status);
  const int status = exited ? WEXITSTATUS(run.wait_status) : -1;
  const bool success = status == 0 || (status == 1 && warning == WarningMeans::kSuccess);
  std::string message;
  if (output.summary.empty()) {
    message = DescribeEnd(run.wait_status);
    if (const std::string last_error = LastLine(run.errors); !last_error.empty()) message += ": " + last_error;
  } else {
    const std::string state = StateWord(status);
    message = HasWord(output.summary, state) ? output.summary : state + ": " + output.summary;
    // A status outside the contract, or a signal, is UNKNOWN; say what it really was.
    if (status < 0 || status > 3) message += " (" + DescribeEnd(run.wait_status) + ")";
  }
  return {success, message, measurements};
}

}  // namespace nagios
