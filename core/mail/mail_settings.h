// MailSettings: the [email] section, read in one place for the core (which
// mails notifications) and the email plugin (whose round trip sends and
// searches mail), through the SDK's PluginSettings so both read it alike.
#pragma once

#include <checker/settings.h>

#include <string>
#include <vector>

namespace checker {

// How the connection to a mail server is secured.
enum class MailSecurity {
  kStartTls,  // a plain connection that must be upgraded with STARTTLS
  kTls,       // TLS from the first byte (smtps://, imaps://)
  kNone,      // no TLS at all
};

// A mail server and the account used on it.
struct MailServer {
  std::string host;  // empty: not configured
  int port = 0;
  MailSecurity security = MailSecurity::kStartTls;
  std::string user;      // empty: no AUTH
  std::string password;  // never logged, never put in an error message
  std::string cafile;    // PEM file of the CAs to trust; empty: the system's
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;  // the whole exchange, connecting included
};

struct MailSettings {
  bool nomail = false;  // log notifications instead of sending them
  MailServer smtp;
  MailServer imap;  // host set: the hourly round trip runs
  // The round trip's mail goes from this address to itself.
  std::string address;
  // Where the round trip looks for its mail: imapfolder when the provider
  // deletes sent mail from the inbox (ideletesentmessagesautomatically), else INBOX.
  std::string round_trip_folder = "INBOX";
  bool bust_threading = false;  // bustgmailthreading
  bool password_in_file = false;
};

// Reads and checks [email] through `settings`; bad values are reported with
// settings.GlobalError. Warnings (a password file readable by every user) are
// added to `warnings`.
MailSettings ReadMailSettings(PluginSettings& settings, std::vector<std::string>& warnings);

// "host:port", with brackets around an IPv6 address.
std::string HostPort(const MailServer& server);

}  // namespace checker
