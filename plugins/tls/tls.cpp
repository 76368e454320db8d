// The tls plugin: [tls:NAME] host (HOST or HOST:PORT, port 443 by default),
// days (default 30), verify_tls (default true), cafile (optional). Opens a TLS
// connection (no request is sent, so any TLS service will do) and fails when
// the handshake fails or the server's certificate expires within `days` days.
// The certificate comes from libcurl's certificate info, so there is one TLS
// stack; its "Expire date" is the OpenSSL backend's text, "Dec  1 12:00:00 2026 GMT".
#include <checker/plugin.h>

#include <ctime>
#include <optional>

#include "curl_support/curl_transfer.h"

namespace {

constexpr long kSecondsPerDay = 86400;

std::optional<std::time_t> ExpiryOf(const curl_slist* fields) {
  const std::string prefix = "Expire date:";
  for (; fields; fields = fields->next) {
    if (std::strncmp(fields->data, prefix.c_str(), prefix.size()) != 0) continue;
    std::tm parts{};
    const char* end = strptime(fields->data + prefix.size(), "%b %d %H:%M:%S %Y GMT", &parts);
    if (end && *end == '\0') return timegm(&parts);
  }
  return std::nullopt;
}

std::string Date(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

class TlsJob : public checker::JobBase {
 public:
  TlsJob(std::string name, std::string host_port, long days, curl_support::TlsSettings tls)
      : name_(std::move(name)), host_port_(std::move(host_port)), days_(days), tls_(std::move(tls)) {}

  std::string Name() const override { return "tls:" + name_; }

  checker::JobResult Execute(const checker::RunContext& context) override {
    curl_support::CurlTransfer transfer("https://" + host_port_ + "/", tls_, context.timeout_seconds);
    curl_easy_setopt(transfer.handle(), CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(transfer.handle(), CURLOPT_CERTINFO, 1L);
    const CURLcode code = transfer.Perform();
    if (code != CURLE_OK) return {false, transfer.Describe(code)};

    curl_certinfo* chain = nullptr;
    curl_easy_getinfo(transfer.handle(), CURLINFO_CERTINFO, &chain);
    const auto expiry = chain && chain->num_of_certs > 0 ? ExpiryOf(chain->certinfo[0]) : std::nullopt;
    if (!expiry) return {false, "could not read the expiry date of the certificate of " + host_port_};
    const std::time_t seconds_left = *expiry - std::time(nullptr);
    if (seconds_left < 0) return {false, "certificate expired " + Date(*expiry)};
    const long days_left = static_cast<long>(seconds_left / kSecondsPerDay);
    const std::string message = "certificate expires " + Date(*expiry) + " (" + std::to_string(days_left) +
                                (days_left == 1 ? " day" : " days") + " left";
    if (days_left < days_) return {false, message + ", fewer than " + std::to_string(days_) + ")"};
    return {true, message + ")"};
  }

 private:
  std::string name_;
  std::string host_port_;
  long days_;
  curl_support::TlsSettings tls_;
};

// "HOST:PORT" from "HOST", "HOST:PORT", "[IPV6]" or "[IPV6]:PORT"; empty and
// reported if the text is none of those.
std::string HostPort(checker::InstanceConfig& section) {
  const std::string text = section.RequiredString("host");
  if (text.empty()) return "";
  const auto colon = text.rfind(':');
  const auto bracket = text.rfind(']');
  const bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  const std::string host = has_port ? text.substr(0, colon) : text;
  const std::string port = has_port ? text.substr(colon + 1) : "443";
  const bool port_ok = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(port) >= 1 && std::stoi(port) <= 65535;
  const std::string url = "https://" + host + ":" + port + "/";
  if (host.empty() || host.find_first_of("/?#@ \t") != std::string::npos || !port_ok ||
      !curl_support::UrlProblem(url).empty()) {
    section.Error("host", "must be HOST or HOST:PORT (an IPv6 address in brackets), not '" + text + "'");
    return "";
  }
  return host + ":" + port;
}

class TlsSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    std::string host_port = HostPort(section);
    long days = static_cast<long>(section.Integer("days", 30, 0, 3650));
    return std::make_unique<TlsJob>(section.instance(), host_port, days, curl_support::ReadTlsSettings(section));
  }

  curl_support::CurlInitialized curl_;
};

}  // namespace

CHECKER_EXPORT_SPAWNER(TlsSpawner)
