// CommandLine: the options of one checker command, as parsed by main().
#pragma once

#include <string>

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
  bool verbose = false;  // -v: debug lines to the logfile
  bool debug = false;    // -d: debug lines to stderr
  bool nomail = false;
  bool json = false;
  bool notify = false;
  bool fail = false;
};

}  // namespace checker
