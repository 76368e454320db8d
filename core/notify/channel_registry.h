// The delivery channels a configuration uses, made from one registry: a row
// per channel with its name, whether the configuration sets it up, and the
// entry point in network.so that makes the real channel. Adding a channel is
// one class in core/network (which exports its factory) and one row here.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "notify/channel.h"
#include "util/logger.h"

namespace checker {

// What network.so exports for each channel, as "checker_channel_NAME".
using ChannelFactory = std::unique_ptr<Channel>(const Config& config);

// The channels of `config`. With `nomail`, each configured channel is a
// LogChannel, and with no channel configured one LogChannel stands in. A
// real channel loads network.so at its first delivery. `config` must
// outlive the channels.
std::vector<std::unique_ptr<Channel>> MakeChannels(const Config& config, bool nomail, Logger& logger);

// The names of the channels MakeChannels() makes for `config` (logged ones
// too), followed by "alertmanager" when [alertmanager] url is set.
std::vector<std::string> ChannelNames(const Config& config);

}  // namespace checker
