#include "network/webhook_channel.h"

#include <boost/dll/alias.hpp>
#include <memory>
#include <type_traits>

#include "network/json_post.h"
#include "notify/channel_registry.h"
#include "util/clock.h"
#include "util/text.h"

namespace checker {
namespace {

std::unique_ptr<Channel> MakeWebhookChannel(const Config& config) { return std::make_unique<WebhookChannel>(config); }
static_assert(std::is_same_v<decltype(MakeWebhookChannel), ChannelFactory>);

}  // namespace

std::string WebhookChannel::Json(const OutboxItem& item, const std::string& servername) {
  return "{\"server\": " + JsonString(servername) + ", \"job\": " + JsonString(item.job) +
         ", \"kind\": " + JsonString(KindName(item.kind)) + ", \"subject\": " + JsonString(item.subject) +
         ", \"body\": " + JsonString(item.body) + ", \"time\": " + JsonString(FormatIsoUtc(item.created)) + "}";
}

Status WebhookChannel::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  may_have_arrived_ = false;
  refused_for_good_ = false;
  if (!unreachable_.empty()) return Status::Error("not tried: " + unreachable_);
  const JsonPostResult post = PostJson(url_, Json(item, servername_), timeout_seconds_, committing);
  if (post.accepted()) return Status::Ok();
  if (!post.answered()) {
    std::string reason = "webhook: " + post.error;
    may_have_arrived_ = post.committed && post.status == 0;
    if (post.code == CURLE_COULDNT_CONNECT || post.code == CURLE_COULDNT_RESOLVE_HOST ||
        post.code == CURLE_OPERATION_TIMEDOUT) {
      unreachable_ = reason;
    }
    return Status::Error(reason);
  }
  // A client error other than a timeout or rate limit will not change by trying again.
  refused_for_good_ = post.status >= 400 && post.status < 500 && post.status != 408 && post.status != 429;
  return Status::Error("webhook answered HTTP " + std::to_string(post.status) +
                       (post.answer_start.empty() ? "" : ": " + OneLine(post.answer_start)));
}

}  // namespace checker

BOOST_DLL_ALIAS(checker::MakeWebhookChannel, checker_channel_webhook)
