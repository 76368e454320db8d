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

}  // namespace checker
