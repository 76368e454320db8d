#include "webhook_notifier.h"

#include "clock.h"
#include "outbox.h"
#include "status_report.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>

namespace checker {
namespace {

constexpr std::size_t kKeptAnswerBytes = 200;       // quoted in the error
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;  // read no further

// Hands libcurl the request body; `committing` runs before the last byte is
// given out, since the server may act as soon as it has the whole request.
struct Upload {
  Upload(const std::string& data, const std::function<void()>& committing) : data(data), committing(committing) {}
  const std::string& data;
  const std::function<void()>& committing;
  std::size_t offset = 0;
  bool committed = false;
  std::exception_ptr error;  // from `committing`; must not unwind through libcurl
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& upload = *static_cast<Upload*>(user);
  const std::size_t chunk = std::min(size * count, upload.data.size() - upload.offset);
  if (!upload.committed && upload.offset + chunk == upload.data.size()) {
    upload.committed = true;
    try {
      upload.committing();
    } catch (...) {
      upload.error = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
  }
  std::memcpy(buffer, upload.data.data() + upload.offset, chunk);
  upload.offset += chunk;
  return chunk;
}

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

}  // namespace

std::string WebhookNotifier::Json(const OutboxItem& item, const std::string& servername) {
  return "{\"server\": " + JsonString(servername) + ", \"job\": " + JsonString(item.job) +
         ", \"kind\": " + JsonString(item.kind) + ", \"subject\": " + JsonString(item.subject) +
         ", \"body\": " + JsonString(item.body) + ", \"time\": " + JsonString(FormatIsoUtc(item.created)) + "}";
}

std::string WebhookNotifier::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  may_have_arrived_ = false;
  if (!unreachable_.empty()) return "not tried: " + unreachable_;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return "webhook: libcurl could not start";
  const std::string body = Json(item, servername_);
  Upload upload(body, committing);
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
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadUpload);
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
  if ((code == CURLE_OK || code == CURLE_WRITE_ERROR) && status >= 200 && status < 300) return "";
  if (code != CURLE_OK && code != CURLE_WRITE_ERROR) {
    std::string reason = std::string("webhook: ") + (*error ? error : curl_easy_strerror(code));
    may_have_arrived_ = upload.committed && status == 0;
    if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_OPERATION_TIMEDOUT) {
      unreachable_ = reason;
    }
    return reason;
  }
  return "webhook answered HTTP " + std::to_string(status) + (answer.start.empty() ? "" : ": " + OneLine(answer.start));
}

}  // namespace checker
