#include "engine/checkins.h"

namespace checker {

void RecordCheckin(StateStore& store, const Job& job, Checkin checkin) {
  if (checkin.message.size() > kMaxCheckinMessageBytes) checkin.message.resize(kMaxCheckinMessageBytes);
  if (checkin.message.empty() && checkin.exit_status > 0) checkin.message = ExitStatusMessage(checkin.exit_status);
  StateStore::Transaction transaction(store);
  store.EnsureJob(job.key, job.name, checkin.time);
  store.AddCheckin(job.key, checkin);
  if (checkin.kind == Checkin::Kind::kSuccess || checkin.kind == Checkin::Kind::kFailure) {
    store.RecordCheckin(job.key, job.name, checkin.time, checkin.kind == Checkin::Kind::kFailure, checkin.message);
  }
  transaction.Commit();
}

std::string ExitStatusMessage(int status) { return "exited with status " + std::to_string(status); }

std::optional<Checkin> CheckinFromPath(const std::string& suffix, UnixTime when, std::string message) {
  Checkin checkin;
  checkin.time = when;
  checkin.message = std::move(message);
  if (suffix.empty()) return checkin;
  if (suffix == "fail") {
    checkin.kind = Checkin::Kind::kFailure;
  } else if (suffix == "start") {
    checkin.kind = Checkin::Kind::kStart;
  } else if (suffix == "log") {
    checkin.kind = Checkin::Kind::kLog;
  } else if (suffix.size() <= 3 && suffix.find_first_not_of("0123456789") == std::string::npos &&
             std::stoi(suffix) <= 255) {
    checkin.exit_status = std::stoi(suffix);
    checkin.kind = checkin.exit_status == 0 ? Checkin::Kind::kSuccess : Checkin::Kind::kFailure;
  } else {
    return std::nullopt;
  }
  return checkin;
}

std::string CheckinKindName(const Checkin& checkin) {
  if (checkin.exit_status >= 0) return "exit status " + std::to_string(checkin.exit_status);
  return CheckinKindName(checkin.kind);
}

}  // namespace checker
