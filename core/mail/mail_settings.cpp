#include "mail/mail_settings.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace checker {
namespace {

constexpr std::size_t kMaxPasswordFileBytes = 4096;

// Reads and checks [email] values; every problem goes to GlobalError.
class EmailSection {
 public:
  explicit EmailSection(PluginSettings& settings) : settings_(settings) {}

  std::string String(const std::string& key, const std::string& fallback = "") {
    return settings_.GetGlobal("email", key).value_or(fallback);
  }
  bool Boolean(const std::string& key, bool fallback) {
    auto text = settings_.GetGlobal("email", key);
    if (!text) return fallback;
    auto value = ParseBool(*text);
    if (!value) Error(key, "must be true or false, not '" + *text + "'");
    return value.value_or(fallback);
  }
  int Port(const std::string& key, int fallback) {
    auto text = settings_.GetGlobal("email", key);
    if (!text) return fallback;
    if (text->empty() || text->size() > 5 || text->find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(*text) < 1 || std::stoi(*text) > 65535) {
      Error(key, "must be a whole number from 1 to 65535, not '" + *text + "'");
      return fallback;
    }
    return std::stoi(*text);
  }
  MailSecurity Security(const std::string& key, MailSecurity fallback) {
    const std::string text = String(key);
    if (text.empty()) return fallback;
    if (text == "starttls") return MailSecurity::kStartTls;
    if (text == "tls") return MailSecurity::kTls;
    if (text == "none") return MailSecurity::kNone;
    Error(key, "must be starttls, tls or none, not '" + text + "'");
    return fallback;
  }
  void Error(const std::string& key, const std::string& message) { settings_.GlobalError("email", key, message); }
  std::string Resolve(const std::string& path) const { return settings_.ResolvePath(path); }

 private:
  PluginSettings& settings_;
};

// The first line of a password file, read without following a FIFO forever
// or reading a device without end.
std::string ReadPasswordFile(EmailSection& email, const std::string& path, std::vector<std::string>& warnings) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    email.Error("passfile", "cannot read '" + path + "': " + std::strerror(errno));
    return "";
  }
  struct stat info {};
  std::string content;
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    email.Error("passfile", "'" + path + "' is not a regular file");
  } else {
    char buffer[kMaxPasswordFileBytes];
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) email.Error("passfile", "cannot read '" + path + "': " + std::strerror(errno));
    if (got > 0) content.assign(buffer, static_cast<std::size_t>(got));
    if (info.st_mode & S_IROTH) {
      warnings.push_back(path + ": the password file is readable by every user; chmod o-r it");
    }
  }
  close(fd);
  const std::string password = content.substr(0, content.find('\n'));
  return !password.empty() && password.back() == '\r' ? password.substr(0, password.size() - 1) : password;
}

}  // namespace

MailSettings ReadMailSettings(PluginSettings& settings, std::vector<std::string>& warnings) {
  EmailSection email(settings);
  MailSettings out;
  out.nomail = email.Boolean("nomail", false);
  const std::string user = email.String("user");
  std::string password = email.String("pass");
  if (const std::string passfile = email.Resolve(email.String("passfile")); !passfile.empty()) {
    if (!password.empty()) email.Error("passfile", "set pass or passfile, not both");
    password = ReadPasswordFile(email, passfile, warnings);
    out.password_in_file = true;
  }
  const std::string cafile = email.String("cafile");
  if (!cafile.empty() && cafile[0] != '/') email.Error("cafile", "must be an absolute path");

  out.smtp.host = email.String("smtpserver");
  out.smtp.security = email.Security("smtpsecurity", MailSecurity::kStartTls);
  out.smtp.port = email.Port("smtpport", out.smtp.security == MailSecurity::kTls    ? 465
                                         : out.smtp.security == MailSecurity::kNone ? 25
                                                                                    : 587);
  out.imap.host = email.String("imapserver");
  out.imap.security = email.Security("imapsecurity", MailSecurity::kTls);
  out.imap.port = email.Port("imapport", out.imap.security == MailSecurity::kTls ? 993 : 143);
  for (MailServer* server : {&out.smtp, &out.imap}) {
    server->user = user;
    server->password = password;
    server->cafile = cafile;
  }
  const bool deletes_sent = email.Boolean("ideletesentmessagesautomatically", false);
  const std::string folder = email.String("imapfolder", "[Gmail]/Trash");
  out.round_trip_folder = deletes_sent ? folder : "INBOX";
  out.bust_threading = email.Boolean("bustgmailthreading", false);
  out.address = user;

  if (!out.imap.host.empty()) {
    if (user.find('@') == std::string::npos) {
      email.Error("user", "must be the account's email address when imapserver is set (the round trip mails it)");
    }
    if (out.smtp.host.empty()) {
      email.Error("smtpserver", "is required when imapserver is set (the round trip sends through it)");
    }
  }
  return out;
}

std::string HostPort(const MailServer& server) {
  const bool ipv6 = server.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port);
}

}  // namespace checker
