#include "model/job.h"

#include <cctype>

namespace checker {

bool IsInstanceName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (!std::isalnum(byte) && byte < 0x80 && c != '_' && c != '.' && c != '@' && c != '-') return false;
  }
  return true;
}

namespace {

const char* const kCheckinKindNames[] = {"success", "failure", "start", "log"};  // in Checkin::Kind's order

}  // namespace

const char* CheckinKindName(Checkin::Kind kind) { return kCheckinKindNames[static_cast<int>(kind)]; }

std::optional<Checkin::Kind> ParseCheckinKind(const std::string& name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kCheckinKindNames[i]) return static_cast<Checkin::Kind>(i);
  }
  return std::nullopt;
}

}  // namespace checker
