// CurlTransfer: one libcurl request made the way every checker plugin must make
// it, shared by the http and tls plugins.
//
// Every request is bounded by the job's timeout, never raises signals, speaks
// only HTTP and HTTPS (redirects included) and checks TLS certificates unless
// told not to. Describe() turns libcurl's errors into what an operator acts on:
// "connection refused by 127.0.0.1:8080", "timed out after 10 s ...",
// "TLS certificate verify failed: ...".
#pragma once

#include <checker/abi.h>
#include <checker/settings.h>
#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace curl_support {

// libcurl's global set-up (the TLS library's included), done by a spawner
// when it is made, in the tick's own process: the workers forked after it
// inherit it instead of each paying for it at its first request. libcurl
// wants it done before other threads start, as they have not then.
struct CurlInitialized {
  CurlInitialized() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

// The keys verify_tls and cafile, read alike by every plugin that speaks TLS.
struct TlsSettings {
  bool verify = true;
  std::string cafile;  // PEM file of trusted CAs instead of the system's; empty: the system's
};

inline TlsSettings ReadTlsSettings(checker::InstanceConfig& section) {
  TlsSettings tls;
  tls.verify = section.Boolean("verify_tls", true);
  tls.cafile = section.String("cafile");
  if (!tls.cafile.empty() && tls.cafile[0] != '/') section.Error("cafile", "must be an absolute path");
  return tls;
}

// Empty when libcurl accepts `url`, else why not.
inline std::string UrlProblem(const std::string& url) {
  CURLU* parsed = curl_url();
  CURLUcode code = curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0);
  curl_url_cleanup(parsed);
  return code == CURLUE_OK ? "" : curl_url_strerror(code);
}

// The handle that a worker's requests share, reset for each: a handle of
// their own would set libcurl's machinery up again for every request (its
// multi handle and the sockets that wake it). Made at a worker's first
// request, kept until the worker exits.
inline CURL* SharedHandle() {
  static CURL* const handle = curl_easy_init();
  return handle;
}

class CurlTransfer {
 public:
  CurlTransfer(const std::string& url, const TlsSettings& tls, int timeout_seconds)
      : handle_(SharedHandle()), timeout_seconds_(timeout_seconds) {
    if (!handle_) return;
    curl_easy_reset(handle_);
    // Each request sees what a new client would: a connection and a TLS
    // session of its own, nothing kept from the request before.
    curl_easy_setopt(handle_, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(handle_, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(handle_, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    curl_easy_setopt(handle_, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    // A little less than the job's timeout, so that the request reports its
    // own timeout before the core kills the worker.
    const long budget_ms = timeout_seconds * 1000L - std::min(timeout_seconds * 100L, 1000L);
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, budget_ms);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, budget_ms);
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
    if (!tls.cafile.empty()) curl_easy_setopt(handle_, CURLOPT_CAINFO, tls.cafile.c_str());
    curl_easy_setopt(handle_, CURLOPT_USERAGENT, "checker/" CHECKER_VERSION);
  }
  ~CurlTransfer() {
    // What the plugin pointed the handle at (its buffers) dies with it.
    if (handle_) curl_easy_reset(handle_);
  }
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  // For the plugin's own options and curl_easy_getinfo; null if libcurl
  // could not start, which Perform() reports.
  CURL* handle() const { return handle_; }

  CURLcode Perform() { return handle_ ? curl_easy_perform(handle_) : CURLE_FAILED_INIT; }

  // What went wrong, in words, for a failed Perform().
  std::string Describe(CURLcode code) const {
    std::string detail = error_[0] ? error_ : curl_easy_strerror(code);
    for (const char* noise : {"SSL certificate problem: ", "SSL: "}) {
      if (detail.rfind(noise, 0) == 0) detail.erase(0, std::strlen(noise));
    }
    const std::string target = Host() + ":" + Port();
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT: {
        // libcurl knows the peer's address once a TCP connection is open.
        char* connected_ip = nullptr;
        curl_easy_getinfo(handle_, CURLINFO_PRIMARY_IP, &connected_ip);
        return "timed out after " + std::to_string(timeout_seconds_) + " s " +
               (connected_ip && *connected_ip ? "waiting for " + target + " to answer" : "connecting to " + target);
      }
      case CURLE_COULDNT_RESOLVE_HOST:
        return "could not resolve host " + Host();
      case CURLE_COULDNT_CONNECT: {
        long os_error = 0;
        curl_easy_getinfo(handle_, CURLINFO_OS_ERRNO, &os_error);
        if (os_error == ECONNREFUSED) return "connection refused by " + target;
        return "cannot connect to " + target + ": " + (os_error ? std::strerror(static_cast<int>(os_error)) : detail);
      }
      case CURLE_PEER_FAILED_VERIFICATION:
        return "TLS certificate verify failed: " + detail;
      case CURLE_SSL_CONNECT_ERROR:
        return "TLS handshake with " + target + " failed: " + detail;
      default:
        return detail;
    }
  }

 private:
  // A part of the URL last requested (after redirects), or "?".
  std::string UrlPart(CURLUPart part) const {
    char* url = nullptr;
    curl_easy_getinfo(handle_, CURLINFO_EFFECTIVE_URL, &url);
    CURLU* parsed = curl_url();
    char* value = nullptr;
    std::string result = "?";
    if (url && curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(parsed, part, &value, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      result = value;
    }
    curl_free(value);
    curl_url_cleanup(parsed);
    return result;
  }
  std::string Host() const { return UrlPart(CURLUPART_HOST); }
  std::string Port() const { return UrlPart(CURLUPART_PORT); }

  CURL* handle_;
  int timeout_seconds_;
  char error_[CURL_ERROR_SIZE] = "";
};

}  // namespace curl_support
