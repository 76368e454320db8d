#include "network/smtp_channel.h"

#include <boost/dll/alias.hpp>
#include <cctype>
#include <random>
#include <type_traits>

#include "notify/channel_registry.h"

namespace checker {
namespace {

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

std::unique_ptr<Channel> MakeSmtpChannel(const Config& config) { return std::make_unique<SmtpChannel>(config); }
static_assert(std::is_same_v<decltype(MakeSmtpChannel), ChannelFactory>);

}  // namespace

SmtpChannel::SmtpChannel(const Config& config)
    : client_(config.email.smtp),
      from_(SenderAddress(config.email.smtp.user, config.general.servername)),
      message_id_domain_(MessageIdDomain(config.general.servername)),
      bust_threading_(config.email.bust_threading) {}

Status SmtpChannel::Deliver(const OutboxItem& item, const std::function<void()>& committing) {
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

BOOST_DLL_ALIAS(checker::MakeSmtpChannel, checker_channel_email)
