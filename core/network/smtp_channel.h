// SmtpChannel: the "email" channel. Mails each outbox item to its
// recipients through SmtpClient, from the [email] user (or
// checker@servername), with a Message-ID that stays the same for every
// attempt at the same row.
#pragma once

#include <string>

#include "config/config.h"
#include "mail/smtp_client.h"
#include "notify/channel.h"

namespace checker {

class SmtpChannel : public Channel {
 public:
  explicit SmtpChannel(const Config& config);
  std::string name() const override { return "email"; }
  Status Deliver(const OutboxItem& item, const std::function<void()>& committing) override;
  bool MayHaveArrived() const override { return client_.may_have_arrived(); }
  bool RefusedForGood() const override { return client_.refused_for_good(); }

 private:
  SmtpClient client_;
  std::string from_;
  std::string message_id_domain_;
  bool bust_threading_;
};

}  // namespace checker
