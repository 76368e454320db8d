// SmtpNotifier: the "email" channel. Mails each outbox item to its
// recipients through SmtpClient, from the [email] user (or
// checker@servername), with a Message-ID that stays the same for every
// attempt at the same row.
#pragma once

#include <string>

#include "config.h"
#include "notifier.h"
#include "smtp_client.h"

namespace checker {

class SmtpNotifier : public Notifier {
 public:
  SmtpNotifier(const EmailConfig& email, const std::string& servername);
  std::string channel() const override { return "email"; }
  std::string Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool MayHaveArrived() const override { return client_.may_have_arrived(); }

 private:
  SmtpClient client_;
  std::string from_;
  std::string message_id_domain_;
  bool bust_threading_;
};

}  // namespace checker
