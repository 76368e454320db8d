#include "network/webhook_channel.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/dll/alias.hpp>
#include <cstring>
#include <exception>
#include <memory>
#include <type_traits>

#include "mail/committing_upload.h"
#include "notify/channel_registry.h"
#include "util/clock.h"
#include "util/text.h"

namespace checker {
namespace {

constexpr std::size_t kKeptAnswerBytes = 200;       // quoted in the error
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;  // read no further

struct Answer {
  std::string start;
  std::size_t bytes = 0;
};

std::size_t ReadAnswer(char* data, std::size_t size, std::size_t count, void* user) {
  auto& answer = *static_cast<Answer*>(user);
  const std::size_t chunk = size * count;
  answer.bytes += chunk;
  if (answer.start.size() < kKeptAnswerBytes)
    answer.start.append(data, std::min(chunk, kKeptAnswerBytes - answer.start.size()));
  return answer.bytes > kMaxAnswerBytes ? 0 : chunk;
}

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
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Error("webhook: libcurl could not start");
  const std::string body = Json(item, servername_);
  CommittingUpload upload(body, committing);
  Answer answer;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers_owner(headers, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = "";

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, CommittingUpload::Read);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, ReadAnswer);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(timeout_seconds_, 10)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds_));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(handle);
  if (upload.error) std::rethrow_exception(upload.error);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // A 2xx answer whose body we stopped reading is still an acceptance.
  if ((code == CURLE_OK || code == CURLE_WRITE_ERROR) && status >= 200 && status < 300) return Status::Ok();
  if (code != CURLE_OK && code != CURLE_WRITE_ERROR) {
    std::string reason = std::string("webhook: ") + (*error ? error : curl_easy_strerror(code));
    may_have_arrived_ = upload.committed && status == 0;
    if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_OPERATION_TIMEDOUT) {
      unreachable_ = reason;
    }
    return Status::Error(reason);
  }
  // A client error other than a timeout or rate limit will not change by trying again.
  refused_for_good_ = status >= 400 && status < 500 && status != 408 && status != 429;
  return Status::Error("webhook answered HTTP " + std::to_string(status) +
                       (answer.start.empty() ? "" : ": " + OneLine(answer.start)));
}

}  // namespace checker

BOOST_DLL_ALIAS(checker::MakeWebhookChannel, checker_channel_webhook)
