// The http plugin: [http:NAME] url, expect_status (default 200), expect_body
// (a substring, optional), verify_tls (default true), follow_redirects (default
// false), cafile (optional). Succeeds when the answer has the expected status
// and, if asked, contains the expected text within the first [general] maxbody
// bytes; the rest of a longer body is never read.
#include <checker/plugin.h>

#include "curl_support/curl_transfer.h"

namespace {

constexpr std::int64_t kDefaultMaxBody = 1024 * 1024;

// The body as read so far: at most `cap` bytes. At the cap the write callback
// stops the transfer, so a server streaming gigabytes costs neither memory
// nor time; libcurl then reports CURLE_WRITE_ERROR, which means "cut" here.
struct CappedBody {
  std::string text;
  std::size_t cap = 0;
  bool cut = false;
};

std::size_t KeepUpToCap(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<CappedBody*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = body.cap - body.text.size();
  if (bytes > room) {
    body.text.append(data, room);
    body.cut = true;
    return 0;
  }
  body.text.append(data, bytes);
  return bytes;
}

struct HttpCheck {
  std::string url;
  long expect_status = 200;
  std::string expect_body;
  bool follow_redirects = false;
  curl_support::TlsSettings tls;
  std::size_t maxbody = kDefaultMaxBody;
};

class HttpJob : public checker::JobBase {
 public:
  HttpJob(std::string name, HttpCheck check) : name_(std::move(name)), check_(std::move(check)) {}

  std::string Name() const override { return "http:" + name_; }

  checker::JobResult Execute(const checker::RunContext& context) override {
    curl_support::CurlTransfer transfer(check_.url, check_.tls, context.timeout_seconds);
    CappedBody body;
    body.cap = check_.maxbody;
    CURL* handle = transfer.handle();
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, KeepUpToCap);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, check_.follow_redirects ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
    const CURLcode code = transfer.Perform();
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && body.cut)) return {false, transfer.Describe(code)};

    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    std::string outcome = "status " + std::to_string(status);
    if (status != check_.expect_status) {
      outcome += ", expected " + std::to_string(check_.expect_status);
      char* location = nullptr;
      curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &location);
      if (location) outcome += " (a redirect to " + std::string(location) + "; see follow_redirects)";
      return {false, outcome};
    }
    if (check_.expect_body.empty()) return {true, outcome};
    if (body.text.find(check_.expect_body) == std::string::npos) {
      return {false, "body does not contain '" + check_.expect_body + "'" +
                         (body.cut ? " in its first " + std::to_string(body.cap) + " bytes (maxbody)" : "")};
    }
    return {true, outcome + ", body contains '" + check_.expect_body + "'"};
  }

 private:
  std::string name_;
  HttpCheck check_;
};

class HttpSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    // [general] maxbody is checked by the core; a bad one stops the run there.
    auto maxbody = checker::ParseByteSize(section.Global("general", "maxbody").value_or("1M"));
    HttpCheck check;
    check.url = section.RequiredString("url");
    if (!check.url.empty()) {
      if (check.url.rfind("http://", 0) != 0 && check.url.rfind("https://", 0) != 0) {
        section.Error("url", "must start with http:// or https://");
      } else if (auto problem = curl_support::UrlProblem(check.url); !problem.empty()) {
        section.Error("url", "is not a usable URL: " + problem);
      }
    }
    check.expect_status = static_cast<long>(section.Integer("expect_status", 200, 100, 599));
    check.expect_body = section.String("expect_body");
    check.follow_redirects = section.Boolean("follow_redirects", false);
    check.tls = curl_support::ReadTlsSettings(section);
    check.maxbody = static_cast<std::size_t>(maxbody.value_or(kDefaultMaxBody));
    return std::make_unique<HttpJob>(section.instance(), std::move(check));
  }

  curl_support::CurlInitialized curl_;
};

}  // namespace

CHECKER_EXPORT_SPAWNER(HttpSpawner)
