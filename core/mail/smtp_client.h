// SmtpClient: hands one message to an SMTP server, through libcurl.
//
// The core's email channel (SmtpNotifier) and the email plugin's round trip
// both send through it, so checker speaks SMTP in exactly one place. It lives
// in a small static library of its own (checker::mail) that knows nothing of
// the outbox, so that a plugin can link it too.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "mail/mail_settings.h"
#include "util/status.h"

namespace checker {

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

  // Ok once the server has accepted the message, else why not.
  // `committing` (may be empty) runs once, right before the end of data: the
  // point after which the message may reach its recipients. Once the server
  // could not be reached or timed out, later calls fail at once with that
  // reason, so that a backlog does not wait out one timeout per message.
  Status Send(const MailMessage& message, const std::function<void()>& committing = {});

  // After a failed Send(): whether the message may have arrived all the same
  // (the connection broke or timed out after the end of data, before the
  // server's answer).
  bool may_have_arrived() const { return may_have_arrived_; }
  // After a failed Send(): whether the server refused the message for good
  // (a 5xx reply).
  bool refused_for_good() const { return refused_for_good_; }

 private:
  MailServer server_;
  std::string unreachable_;
  bool may_have_arrived_ = false;
  bool refused_for_good_ = false;
};

}  // namespace checker
