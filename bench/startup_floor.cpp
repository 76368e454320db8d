// The floor an empty tick is compared with: a C++ program that starts as
// checker does (libstdc++, Boost.Program_options and SQLite linked
// dynamically), reads one option and asks the state file one question, and
// does nothing else: no configuration, no plugins, no writes.
//
// usage: startup_floor --state FILE
#include <sqlite3.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  po::options_description options("startup_floor");
  options.add_options()("state", po::value<std::string>()->required(), "a checker state file");
  po::variables_map values;
  try {
    po::store(po::parse_command_line(argc, argv, options), values);
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "startup_floor: " << error.what() << "\n";
    return 2;
  }
  sqlite3* db = nullptr;
  const std::string path = values["state"].as<std::string>();
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::cerr << "startup_floor: cannot open " << path << "\n";
    sqlite3_close(db);
    return 1;
  }
  sqlite3_stmt* statement = nullptr;
  int status = 1;
  if (sqlite3_prepare_v2(db, "SELECT max(started) FROM ticks", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    status = 0;
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return status;
}
