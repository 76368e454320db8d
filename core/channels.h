// The delivery channels of this configuration: "email" (SMTP, or the log when
// nomail is set or no smtpserver is configured) and, when [webhook] url is
// set, "webhook".
#pragma once

#include <memory>
#include <vector>

#include "config.h"
#include "logger.h"
#include "notifier.h"

namespace checker {

std::vector<std::unique_ptr<Notifier>> MakeChannels(const Config& config, bool nomail, Logger& logger);

}  // namespace checker
