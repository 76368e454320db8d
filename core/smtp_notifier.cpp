#include "smtp_notifier.h"

#include <cctype>
#include <random>

namespace checker {
namespace {

MailSecurity ToMailSecurity(Security security) {
  switch (security) {
    case Security::kStartTls:
      return MailSecurity::kStartTls;
    case Security::kTls:
      return MailSecurity::kTls;
    case Security::kNone:
      return MailSecurity::kNone;
  }
  return MailSecurity::kStartTls;
}

MailServer SmtpServerOf(const EmailConfig& email) {
  MailServer server;
  server.host = email.smtpserver;
  server.port = email.smtpport;
  server.security = ToMailSecurity(email.smtpsecurity);
  server.user = email.user;
  server.password = email.password;
  server.cafile = email.cafile;
  return server;
}

// The servername as the right side of a Message-ID (a dot-atom).
std::string MessageIdDomain(const std::string& servername) {
  std::string domain;
  for (char c : servername) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') domain += c;
  }
  return domain.empty() ? "checker" : domain;
}

// [email] user when it is an address, else checker@servername.
std::string SenderAddress(const std::string& user, const std::string& servername) {
  return user.find('@') != std::string::npos ? user : "checker@" + MessageIdDomain(servername);
}

}  // namespace

SmtpNotifier::SmtpNotifier(const EmailConfig& email, const std::string& servername)
    : client_(SmtpServerOf(email)),
      from_(SenderAddress(email.user, servername)),
      message_id_domain_(MessageIdDomain(servername)),
      bust_threading_(email.bustgmailthreading) {}

std::string SmtpNotifier::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
  MailMessage message;
  message.from = from_;
  message.to = SplitList(item.recipients, ',');
  message.subject = item.subject;
  if (bust_threading_) message.subject += " " + std::to_string(std::random_device()() % 1000000);
  message.body = item.body;
  message.date = static_cast<std::time_t>(item.created);
  message.message_id =
      "<checker." + std::to_string(item.id) + "." + std::to_string(item.created) + "@" + message_id_domain_ + ">";
  return client_.Send(message, committing);
}

}  // namespace checker
