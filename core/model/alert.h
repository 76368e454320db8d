// Alert: one alert as Alertmanager's API v2 takes it (POST /api/v2/alerts
// with a JSON array of these), and its JSON.
//
// Alertmanager tells alerts apart by their labels, so posting the same alert
// again only refreshes it; an alert whose endsAt has passed is resolved.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/notification.h"
#include "util/clock.h"

namespace checker {

struct Alert {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  UnixTime starts_at = 0;
  UnixTime ends_at = 0;
  std::string generator_url;  // empty: none
};

// CheckerCheckFailing, CheckerPeerDown, CheckerTicksMissed, CheckerConfigError.
const char* AlertName(NotificationKind kind);

// {"labels": {...}, "annotations": {...}, "startsAt", "endsAt", "generatorURL"}
std::string AlertJson(const Alert& alert);

// A JSON array of alert objects as AlertJson() makes them.
std::string AlertArrayJson(const std::vector<std::string>& alert_objects);

}  // namespace checker
