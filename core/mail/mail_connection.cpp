#include "mail/mail_connection.h"

#include <cctype>

namespace checker {

void SetUpMailConnection(CURL* handle, const MailServer& server, const std::string& protocol, const std::string& path,
                         char* error_buffer) {
  const std::string scheme = protocol + (server.security == MailSecurity::kTls ? "s" : "");
  const std::string url = scheme + "://" + HostPort(server) + path;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, (protocol + "," + protocol + "s").c_str());
  curl_easy_setopt(handle, CURLOPT_USE_SSL,
                   static_cast<long>(server.security == MailSecurity::kStartTls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!server.cafile.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, server.cafile.c_str());
  if (!server.user.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, server.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, server.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(server.connect_timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(server.timeout_seconds));
  // Bounds each wait for a server reply, including the one for QUIT inside
  // curl_easy_cleanup, which CURLOPT_TIMEOUT does not cover.
  curl_easy_setopt(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(server.connect_timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
}

std::string DescribeMailError(const MailServer& server, const std::string& protocol, CURLcode code,
                              const char* error_buffer) {
  std::string name = protocol;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name + " " + HostPort(server) + ": " + (*error_buffer ? error_buffer : curl_easy_strerror(code));
}

}  // namespace checker
