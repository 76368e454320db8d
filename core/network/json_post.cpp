#include "network/json_post.h"

#include <algorithm>
#include <memory>

#include "mail/committing_upload.h"

namespace checker {
namespace {

constexpr std::size_t kKeptAnswerBytes = 200;       // quoted in errors
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

}  // namespace

JsonPostResult PostJson(const std::string& url, const std::string& body, int timeout_seconds,
                        const std::function<void()>& committing) {
  JsonPostResult result;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.code = CURLE_FAILED_INIT;
    result.error = "libcurl could not start";
    return result;
  }
  CommittingUpload upload(body, committing);
  Answer answer;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers_owner(headers, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = "";

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, CommittingUpload::Read);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, ReadAnswer);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(timeout_seconds, 10)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);

  result.code = curl_easy_perform(handle);
  if (upload.error) std::rethrow_exception(upload.error);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
  if (!result.answered()) result.error = *error ? error : curl_easy_strerror(result.code);
  result.answer_start = std::move(answer.start);
  result.committed = upload.committed;
  return result;
}

}  // namespace checker
