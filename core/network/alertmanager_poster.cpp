#include "network/alertmanager_poster.h"

#include <boost/dll/alias.hpp>
#include <memory>
#include <type_traits>

#include "network/json_post.h"
#include "util/text.h"

namespace checker {
namespace {

std::unique_ptr<AlertPoster> MakeAlertmanagerPoster(const Config& config) {
  return std::make_unique<AlertmanagerPoster>(config);
}
static_assert(std::is_same_v<decltype(MakeAlertmanagerPoster), AlertPosterFactory>);

}  // namespace

Status AlertmanagerPoster::Post(const std::string& base_url, const std::string& alerts_json) {
  const JsonPostResult post = PostJson(base_url + "/api/v2/alerts", alerts_json, timeout_seconds_);
  if (post.accepted()) return Status::Ok();
  if (!post.answered()) return Status::Error("alertmanager: " + post.error);
  return Status::Error("alertmanager answered HTTP " + std::to_string(post.status) +
                       (post.answer_start.empty() ? "" : ": " + OneLine(post.answer_start)));
}

}  // namespace checker

BOOST_DLL_ALIAS(checker::MakeAlertmanagerPoster, checker_alert_poster)
