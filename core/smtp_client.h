// SmtpClient: hands one message to an SMTP server, through libcurl.
//
// The core's email channel (SmtpNotifier) and the email plugin's round trip
// both send through it, so checker speaks SMTP in exactly one place. It lives
// in a small static library of its own (checker::smtp) that knows nothing of
// the outbox or of settings.cfg, so that a plugin can link it too.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace checker {

// How the connection to a mail server is secured.
enum class MailSecurity {
  kStartTls,  // a plain connection that must be upgraded with STARTTLS
  kTls,       // TLS from the first byte (smtps://, imaps://)
  kNone,      // no TLS at all
};

// A mail server and the account used on it (the email plugin uses it for
// IMAP too).
struct MailServer {
  std::string host;
  int port = 0;
  MailSecurity security = MailSecurity::kStartTls;
  std::string user;      // empty: no AUTH
  std::string password;  // never logged, never put in an error message
  std::string cafile;    // PEM file of the CAs to trust; empty: the system's
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;  // the whole exchange, connecting included
};

struct MailMessage {
  std::string from;             // an address
  std::vector<std::string> to;  // addresses
  std::string subject;
  std::string body;        // any line ends
  std::string message_id;  // "<unique@domain>"
  std::time_t date = 0;
};

// The message as it goes on the wire: RFC 5322 headers and a text/plain UTF-8
// body with CRLF line ends. No control character reaches a header; a subject
// that is not short printable ASCII is encoded as RFC 2047 words.
std::string FormatMessage(const MailMessage& message);

class SmtpClient {
 public:
  explicit SmtpClient(MailServer server) : server_(std::move(server)) {}

  // Returns "" once the server has accepted the message, else why not.
  // `committing` (may be empty) runs once, right before the end of data: the
  // point after which the message may reach its recipients. Once the server
  // could not be reached or timed out, later calls fail at once with that
  // reason, so that a backlog does not wait out one timeout per message.
  std::string Send(const MailMessage& message, const std::function<void()>& committing = {});

  // After a failed Send(): whether the message may have arrived all the same
  // (the connection broke or timed out after the end of data, before the
  // server's answer).
  bool may_have_arrived() const { return may_have_arrived_; }

 private:
  MailServer server_;
  std::string unreachable_;
  bool may_have_arrived_ = false;
};

// "host:port", with brackets around an IPv6 address.
std::string HostPort(const MailServer& server);

}  // namespace checker
