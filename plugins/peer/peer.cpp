// The peer plugin: one job per [peers] entry (peer1 -> "peer:peer1"), hourly,
// that asks the other checker's daemon how it is (GET /, the original's
// protocol). Fails on MailProblem, JobProblem, an unexpected answer or no
// answer within 5 s, and notifies that peer's admin address.
#include <checker/plugin.h>

#include "curl_support/curl_transfer.h"
#include "util/text.h"

namespace {

constexpr int kAnswerTimeoutSeconds = 5;
constexpr std::size_t kMaxAnswerBytes = 1024;

size_t KeepCapped(char* data, size_t size, size_t count, void* user) {
  auto& answer = *static_cast<std::string*>(user);
  answer.append(data, std::min(size * count, kMaxAnswerBytes - std::min(answer.size(), kMaxAnswerBytes)));
  return answer.size() >= kMaxAnswerBytes ? 0 : size * count;
}

class PeerJob : public checker::JobBase {
 public:
  PeerJob(std::string name, std::string url, std::string admin)
      : name_(std::move(name)), url_(std::move(url)), admin_(std::move(admin)) {}

  std::string Name() const override { return "peer:" + name_; }
  checker::Frequency ExecuteEvery() const override { return checker::Frequency::kHour; }
  checker::JobTraits Traits() const override {
    checker::JobTraits traits;
    traits.watches_peer = true;
    return traits;
  }
  std::vector<std::string> AlertContacts() const override {
    return admin_.empty() ? std::vector<std::string>{} : std::vector<std::string>{admin_};
  }

  checker::JobResult Execute(const checker::RunContext& context) override {
    std::string answer;
    curl_support::CurlTransfer transfer(url_, {}, std::min(context.timeout_seconds, kAnswerTimeoutSeconds));
    curl_easy_setopt(transfer.handle(), CURLOPT_WRITEFUNCTION, KeepCapped);
    curl_easy_setopt(transfer.handle(), CURLOPT_WRITEDATA, &answer);
    CURLcode code = transfer.Perform();
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && answer.size() >= kMaxAnswerBytes)) {
      return {false, "peer " + url_ + " did not answer: " + transfer.Describe(code)};
    }
    long status = 0;
    curl_easy_getinfo(transfer.handle(), CURLINFO_RESPONSE_CODE, &status);
    answer = checker::Trim(answer);
    if (status == 200 && answer == "True") return {true, "peer " + url_ + " answers True"};
    if (status == 200 && (answer == "MailProblem" || answer == "JobProblem")) {
      return {false, "peer " + url_ + " reports " + answer +
                         (answer == "MailProblem"
                              ? ": its last delivery or mail round trip failed, or it has not ticked yet"
                              : ": no tick of it finished in the last 2 minutes")};
    }
    if (answer.size() > 100) answer = answer.substr(0, 100) + "...";
    return {false,
            "peer " + url_ + " gave an unexpected answer: status " + std::to_string(status) + ", '" + answer + "'"};
  }

 private:
  std::string name_;
  std::string url_;
  std::string admin_;
};

// [peers] belongs to this plugin: each key is a peer, its value
// "http://host:port,admin@example.com".
class PeerSpawner : public checker::JobSpawner {
 public:
  std::vector<std::unique_ptr<checker::JobBase>> Spawn(checker::PluginSettings& settings) override {
    std::vector<std::unique_ptr<checker::JobBase>> jobs;
    for (const auto& key : settings.GlobalKeys("peers")) {
      const std::string entry = settings.GetGlobal("peers", key).value_or("");
      const auto comma = entry.find(',');
      const std::string url = checker::Trim(entry.substr(0, comma));
      const std::string admin = comma == std::string::npos ? "" : checker::Trim(entry.substr(comma + 1));
      if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        settings.GlobalError("peers", key, "must be 'http://host:port,admin@example.com'");
        continue;
      }
      if (!admin.empty() && !checker::IsEmailAddress(admin)) {
        settings.GlobalError("peers", key, "'" + admin + "' is not an email address (the admin to notify)");
        continue;
      }
      jobs.push_back(std::make_unique<PeerJob>(key, url, admin));
    }
    return jobs;
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(PeerSpawner)
