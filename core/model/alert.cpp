#include "model/alert.h"

#include "util/text.h"

namespace checker {
namespace {

std::string JsonObject(const std::map<std::string, std::string>& fields) {
  std::string out = "{";
  for (const auto& [name, value] : fields)
    out += (out.size() > 1 ? ", " : "") + JsonString(name) + ": " + JsonString(value);
  return out + "}";
}

}  // namespace

const char* AlertName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kPeer:
      return "CheckerPeerDown";
    case NotificationKind::kMissedTicks:
      return "CheckerTicksMissed";
    case NotificationKind::kConfigError:
      return "CheckerConfigError";
    default:
      return "CheckerCheckFailing";
  }
}

std::string AlertJson(const Alert& alert) {
  std::string out = "{\"labels\": " + JsonObject(alert.labels) + ", \"annotations\": " + JsonObject(alert.annotations) +
                    ", \"startsAt\": " + JsonString(FormatIsoUtc(alert.starts_at)) +
                    ", \"endsAt\": " + JsonString(FormatIsoUtc(alert.ends_at));
  if (!alert.generator_url.empty()) out += ", \"generatorURL\": " + JsonString(alert.generator_url);
  return out + "}";
}

std::string AlertArrayJson(const std::vector<std::string>& alert_objects) {
  std::string out = "[";
  for (std::size_t i = 0; i < alert_objects.size(); ++i) out += (i ? ",\n " : "") + alert_objects[i];
  return out + "]\n";
}

}  // namespace checker
