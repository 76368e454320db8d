#include "network/alertmanager_poster.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/dll/alias.hpp>
#include <memory>
#include <type_traits>

#include "util/text.h"

namespace checker {
namespace {

constexpr std::size_t kKeptAnswerBytes = 200;       // quoted in the error
constexpr std::size_t kMaxAnswerBytes = 16 * 1024;  // read no further

std::size_t ReadAnswer(char* data, std::size_t size, std::size_t count, void* user) {
  auto& answer = *static_cast<std::string*>(user);
  const std::size_t chunk = size * count;
  if (answer.size() >= kMaxAnswerBytes) return 0;
  answer.append(data, std::min(chunk, kMaxAnswerBytes - answer.size()));
  return chunk;
}

std::unique_ptr<AlertPoster> MakeAlertmanagerPoster(const Config& config) {
  return std::make_unique<AlertmanagerPoster>(config);
}
static_assert(std::is_same_v<decltype(MakeAlertmanagerPoster), AlertPosterFactory>);

}  // namespace

Status AlertmanagerPoster::Post(const std::string& base_url, const std::string& alerts_json) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Error("alertmanager: libcurl could not start");
  const std::string url = base_url + "/api/v2/alerts";
  std::string answer;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers_owner(headers, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = "";

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, alerts_json.c_str());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(alerts_json.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, ReadAnswer);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(timeout_seconds_, 10)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds_));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if ((code == CURLE_OK || code == CURLE_WRITE_ERROR) && status >= 200 && status < 300) return Status::Ok();
  if (code != CURLE_OK && code != CURLE_WRITE_ERROR) {
    return Status::Error(std::string("alertmanager: ") + (*error ? error : curl_easy_strerror(code)));
  }
  return Status::Error("alertmanager answered HTTP " + std::to_string(status) +
                       (answer.empty() ? "" : ": " + Shorten(OneLine(answer), kKeptAnswerBytes)));
}

}  // namespace checker

BOOST_DLL_ALIAS(checker::MakeAlertmanagerPoster, checker_alert_poster)
