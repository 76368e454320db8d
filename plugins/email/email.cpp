// The email plugin: the job email:roundtrip, present whenever [email]
// imapserver is set (an optional [email:roundtrip] section sets its policy).
//
// Every hour it mails a random token from the [email] user to itself through
// the SMTP server, with checker's mail library (the one the core's email
// channel uses, linked openly), and searches for it over IMAP:
// in imapfolder when ideletesentmessagesautomatically is set, else in INBOX.
// It polls until shortly before the job's timeout, so give the job a longer
// timeout if your mail takes longer to arrive. Its failure is what tells
// peers that this host's mail is broken.
#include <checker/plugin.h>
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <thread>

#include "mail/mail_connection.h"
#include "mail/mail_settings.h"
#include "mail/smtp_client.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kSecondsKeptForReporting = 2;
constexpr std::size_t kMaxImapAnswerBytes = 64 * 1024;

struct RoundTripSettings {
  checker::MailServer smtp;
  checker::MailServer imap;
  std::string address;  // the account's: the mail goes from it to it
  std::string folder;
  std::string servername;
  bool nomail = false;
};

std::string RandomToken() {
  std::random_device random;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(random()));
    token += part;
  }
  return token;
}

std::size_t KeepAnswer(char* data, std::size_t size, std::size_t count, void* user) {
  auto& answer = *static_cast<std::string*>(user);
  if (answer.size() + size * count > kMaxImapAnswerBytes) return 0;
  answer.append(data, size * count);
  return size * count;
}

// Searches `folder` for a message whose subject holds `token`. Returns "" and
// sets `found`, or returns why the search failed.
std::string SearchSubject(const checker::MailServer& server, const std::string& folder, const std::string& token,
                          bool& found) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return "libcurl could not start";
  CURL* handle = curl.get();
  std::unique_ptr<char, void (*)(void*)> escaped(
      curl_easy_escape(handle, folder.c_str(), static_cast<int>(folder.size())), curl_free);
  const std::string search = "SEARCH SUBJECT " + token;
  std::string answer;
  char error[CURL_ERROR_SIZE] = "";
  checker::SetUpMailConnection(handle, server, "imap", std::string("/") + escaped.get(), error);
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, search.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, KeepAnswer);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) return checker::DescribeMailError(server, "imap", code, error);
  // "* SEARCH 3 7" when messages match, a bare "* SEARCH" when none do.
  const auto at = answer.find("SEARCH");
  found = at != std::string::npos && answer.find_first_of("0123456789", at) < answer.find('\n', at);
  return "";
}

// A point in time that bounds every network call of one run.
class Deadline {
 public:
  explicit Deadline(int seconds) : start_(SteadyClock::now()), end_(start_ + std::chrono::seconds(seconds)) {}
  int SecondsLeft() const {  // at least 1: libcurl takes 0 as "no timeout"
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(end_ - SteadyClock::now()).count();
    return static_cast<int>(std::max<long long>(1, left));
  }
  bool WithinASecond() const { return SteadyClock::now() + std::chrono::seconds(1) >= end_; }
  std::string Elapsed() const {  // "2.5"
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", std::chrono::duration<double>(SteadyClock::now() - start_).count());
    return text;
  }

 private:
  SteadyClock::time_point start_, end_;
};

checker::MailServer Bounded(checker::MailServer server, const Deadline& deadline) {
  server.timeout_seconds = std::min(server.timeout_seconds, deadline.SecondsLeft());
  server.connect_timeout_seconds = std::min(server.connect_timeout_seconds, server.timeout_seconds);
  return server;
}

class RoundTripJob : public checker::JobBase {
 public:
  explicit RoundTripJob(RoundTripSettings settings) : settings_(std::move(settings)) {}

  std::string Name() const override { return "email:roundtrip"; }
  checker::Frequency ExecuteEvery() const override { return checker::Frequency::kHour; }
  checker::JobTraits Traits() const override {
    checker::JobTraits traits;
    traits.watches_mail = true;
    return traits;
  }

  checker::JobResult Execute(const checker::RunContext& context) override {
    if (settings_.nomail || context.nomail) return {true, "nomail is set: the round trip was not tried"};
    const Deadline deadline(std::max(1, context.timeout_seconds - kSecondsKeptForReporting));
    const std::string token = RandomToken();
    if (std::string error = SendToken(token, deadline); !error.empty()) {
      return {false, "could not send the round-trip mail: " + error};
    }
    const std::string where = settings_.folder + " of " + settings_.address;
    for (;;) {
      bool found = false;
      std::string error = SearchSubject(Bounded(settings_.imap, deadline), settings_.folder, token, found);
      if (!error.empty()) return {false, "sent the round-trip mail, but could not search " + where + ": " + error};
      if (found) return {true, "the round-trip mail arrived in " + where + " after " + deadline.Elapsed() + " s"};
      if (deadline.WithinASecond()) {
        return {false, "sent the round-trip mail " + token + ", but it was not in " + where + " after " +
                           deadline.Elapsed() + " s"};
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }

 private:
  std::string SendToken(const std::string& token, const Deadline& deadline) const {
    checker::MailMessage message;
    message.from = settings_.address;
    message.to = {settings_.address};
    message.subject = "checker round trip " + token;
    message.body = "checker on " + settings_.servername +
                   " sent this to itself to check that its mail goes round. It is safe to delete.";
    message.message_id = "<checker.roundtrip." + token + "@checker>";
    message.date = std::time(nullptr);
    return checker::SmtpClient(Bounded(settings_.smtp, deadline)).Send(message).message();
  }

  RoundTripSettings settings_;
};

class EmailSpawner : public checker::JobSpawner {
 public:
  std::vector<std::unique_ptr<checker::JobBase>> Spawn(checker::PluginSettings& settings) override {
    std::vector<std::unique_ptr<checker::JobBase>> jobs;
    std::vector<std::string> warnings;  // the core reports them; it reads [email] the same way
    const checker::MailSettings mail = checker::ReadMailSettings(settings, warnings);
    if (mail.imap.host.empty()) return jobs;
    RoundTripSettings out;
    out.smtp = mail.smtp;
    out.imap = mail.imap;
    out.address = mail.address;
    out.folder = mail.round_trip_folder;
    out.nomail = mail.nomail;
    out.servername = settings.GetGlobal("general", "servername").value_or("");
    jobs.push_back(std::make_unique<RoundTripJob>(std::move(out)));
    return jobs;
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(EmailSpawner)
