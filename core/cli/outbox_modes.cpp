#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/mode_handlers.h"
#include "model/exit_status.h"
#include "model/notification.h"
#include "notify/channel_registry.h"
#include "util/text.h"

namespace checker {
namespace {

std::string ItemJson(const OutboxItem& item) {
  return "{\"id\": " + std::to_string(item.id) + ", \"created\": " + JsonString(FormatIsoUtc(item.created)) +
         ", \"job\": " + JsonString(item.job) + ", \"kind\": " + JsonString(KindName(item.kind)) +
         ", \"channel\": " + JsonString(item.channel) + ", \"state\": " + JsonString(OutboxStateName(item.state)) +
         ", \"attempts\": " + std::to_string(item.attempts) + ", \"recipients\": " + JsonString(item.recipients) +
         ", \"subject\": " + JsonString(item.subject) + ", \"last_error\": " + JsonString(item.last_error) + "}";
}

void PrintTable(const std::vector<OutboxItem>& items) {
  std::printf("%-6s  %-20s  %-8s  %-10s  %-8s  %s\n", "ID", "CREATED", "CHANNEL", "STATE", "ATTEMPTS", "SUBJECT");
  for (const auto& item : items) {
    std::printf("%-6lld  %-20s  %-8s  %-10s  %-8d  %s\n", static_cast<long long>(item.id),
                FormatIsoUtc(item.created).c_str(), item.channel.c_str(), OutboxStateName(item.state), item.attempts,
                Shorten(item.subject, 100).c_str());
    if (!item.last_error.empty())
      std::printf("        last error: %s\n", Shorten(OneLine(item.last_error), 200).c_str());
  }
  if (items.empty()) std::printf("(every notification was delivered)\n");
}

}  // namespace

int ShowOutbox(Session& session) {
  const auto loaded = session.LoadToRun(Fallback::kLastGood, false).configuration;
  if (!loaded) return kExitConfigError;
  const CommandLine& command_line = session.command_line();
  const std::string& path = loaded->config.general.statefile;
  if (command_line.drop_given) {
    const auto id = ParseScaled(command_line.drop, [](char) -> std::int64_t { return 0; });
    if (!id) {
      session.logger().Error("--drop takes the ID of a notification (see checker -m outbox), not '" +
                             command_line.drop + "'");
      return kExitConfigError;
    }
    auto store = StateStore::Open(path, StateStore::Mode::kReadWrite);
    if (!store->Drop(*id)) {
      session.logger().Error("no undelivered notification has the ID " + command_line.drop +
                             " (see checker -m outbox)");
      return kExitConfigError;
    }
    session.logger().Info("notification " + command_line.drop + " dropped by the operator");
    return kExitOk;
  }
  std::vector<OutboxItem> items;
  if (access(path.c_str(), F_OK) == 0) items = StateStore::Open(path, StateStore::Mode::kReadOnly)->Undelivered();
  if (command_line.json) {
    std::cout << "{\"server\": " << JsonString(loaded->config.general.servername) << ", \"items\": [";
    for (std::size_t i = 0; i < items.size(); ++i) std::cout << (i ? ", " : "") << ItemJson(items[i]);
    std::cout << "]}\n";
  } else {
    PrintTable(items);
  }
  return kExitOk;
}

int NotifyTest(Session& session) {
  const auto loaded = session.LoadToRun().configuration;
  if (!loaded) return kExitConfigError;
  const Config& config = loaded->config;
  const bool nomail = session.command_line().nomail || config.email.nomail;
  OutboxItem item;
  item.created = SystemClock().Now();
  item.job = "checker:test";
  item.kind = NotificationKind::kTest;
  for (const auto& recipient : config.general.alertcontact) {
    item.recipients += (item.recipients.empty() ? "" : ", ") + recipient;
  }
  item.subject = CompleteSubject(config.general.servername, item.job,
                                 "test notification from checker on " + config.general.servername);
  item.body = "checker on " + config.general.servername + " sent this with `checker -m notify-test` at " +
              FormatIsoUtc(item.created) + " to show that its notifications arrive. Nothing is wrong.\n";
  bool all_delivered = true;
  for (const auto& channel : MakeChannels(config, nomail, session.logger())) {
    item.channel = channel->name();
    const Status delivered = channel->Deliver(item, [] {});
    all_delivered &= delivered.ok();
    std::cout << channel->name() << ": "
              << (delivered.ok() ? (channel->Sends() ? "delivered" : "not sent (nomail)")
                                 : "FAILED: " + delivered.message())
              << "\n";
  }
  return all_delivered ? kExitOk : kExitMailFailed;
}

}  // namespace checker
