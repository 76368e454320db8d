// CommandLine: the options of one checker command, as parsed by main().
#pragma once

#include <string>
#include <vector>

namespace checker {

struct CommandLine {
  std::string mode;
  std::string cron;         // minute | hour | day | day_noon
  std::string config_path;  // -f; empty: the search order
  std::string job;
  std::string message;
  bool message_given = false;
  std::string pause_for;
  bool pause_for_given = false;
  std::string drop;  // with -m outbox: the id of a row to give up on
  bool drop_given = false;
  std::string limit;  // with -m history: how many entries
  bool limit_given = false;
  bool verbose = false;  // -v: debug lines to the logfile
  bool debug = false;    // -d: debug lines to stderr
  bool nomail = false;
  bool json = false;
  bool notify = false;
  bool fail = false;
  // -m ping: the kind of check-in (none of these: a success).
  bool start = false;
  bool log = false;
  std::string exit_code;
  bool exit_code_given = false;
  std::string message_file;  // "-": standard input
  bool message_file_given = false;
  // -m exec: the command and its arguments.
  std::vector<std::string> command;
};

}  // namespace checker
