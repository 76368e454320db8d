// The [email] section, read as the core and the email plugin read it.
#include "mail/mail_settings.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "config/plugin_settings_view.h"
#include "temp_dir.h"

using namespace checker;

namespace {

// [email] from `text`, read through a PluginSettingsView over settings.cfg in `dir`.
struct Read {
  Read(const TempDir& dir, const std::string& email_lines) {
    std::vector<std::string> errors;
    file = SettingsFile::ParseText(dir.File("settings.cfg"), "[email]\n" + email_lines, errors);
    REQUIRE(errors.empty());
    PluginSettingsView view(file, usage, "email", diagnostics);
    settings = ReadMailSettings(view, warnings);
  }

  SettingsFile file;
  KeyUsage usage;
  Diagnostics diagnostics;
  std::vector<std::string> warnings;
  MailSettings settings;
};

}  // namespace

TEST_CASE("an empty [email] means no servers, STARTTLS on 587, TLS on 993, and the INBOX") {
  TempDir dir;
  const Read read(dir, "");

  CHECK(read.diagnostics.ok());
  CHECK_FALSE(read.settings.nomail);
  CHECK(read.settings.smtp.host.empty());
  CHECK(read.settings.smtp.security == MailSecurity::kStartTls);
  CHECK(read.settings.smtp.port == 587);
  CHECK(read.settings.imap.host.empty());
  CHECK(read.settings.imap.security == MailSecurity::kTls);
  CHECK(read.settings.imap.port == 993);
  CHECK(read.settings.round_trip_folder == "INBOX");
  CHECK_FALSE(read.settings.bust_threading);
  CHECK_FALSE(read.settings.password_in_file);
}

TEST_CASE("the default port follows each server's security") {
  TempDir dir;
  const Read tls(dir, "smtpsecurity = tls\nimapsecurity = starttls\n");
  const Read none(dir, "smtpsecurity = none\nimapsecurity = none\n");

  CHECK(tls.settings.smtp.port == 465);
  CHECK(tls.settings.imap.port == 143);
  CHECK(tls.settings.imap.security == MailSecurity::kStartTls);
  CHECK(none.settings.smtp.port == 25);
  CHECK(none.settings.smtp.security == MailSecurity::kNone);
  CHECK(none.settings.imap.port == 143);
}

TEST_CASE("servers, ports, the account and the CA file apply to both servers") {
  TempDir dir;
  const Read read(dir,
                  "smtpserver = smtp.example.com\nsmtpport = 2525\nimapserver = imap.example.com\nimapport = 1993\n"
                  "user = robot@example.com\npass = secret\ncafile = /etc/ssl/ca.pem\nnomail = yes\n"
                  "bustgmailthreading = true\n");

  CHECK(read.diagnostics.ok());
  CHECK(read.settings.nomail);
  CHECK(HostPort(read.settings.smtp) == "smtp.example.com:2525");
  CHECK(HostPort(read.settings.imap) == "imap.example.com:1993");
  for (const MailServer* server : {&read.settings.smtp, &read.settings.imap}) {
    CHECK(server->user == "robot@example.com");
    CHECK(server->password == "secret");
    CHECK(server->cafile == "/etc/ssl/ca.pem");
  }
  CHECK(read.settings.address == "robot@example.com");
  CHECK(read.settings.bust_threading);
  CHECK(read.usage.UnknownEntries(read.file).empty());
}

TEST_CASE("bad values are errors that name the file, line and key") {
  TempDir dir;
  const Read read(dir, "smtpport = 70000\nimapport = x\nsmtpsecurity = ssl\nnomail = perhaps\ncafile = ca.pem\n");

  const std::string at = dir.File("settings.cfg") + ":";
  CHECK(read.diagnostics.errors ==
        std::vector<std::string>{at + "5: [email] nomail: must be true or false, not 'perhaps'",
                                 at + "6: [email] cafile: must be an absolute path",
                                 at + "4: [email] smtpsecurity: must be starttls, tls or none, not 'ssl'",
                                 at + "2: [email] smtpport: must be a whole number from 1 to 65535, not '70000'",
                                 at + "3: [email] imapport: must be a whole number from 1 to 65535, not 'x'"});
  CHECK(read.settings.smtp.port == 587);
  CHECK(read.settings.smtp.security == MailSecurity::kStartTls);
}

TEST_CASE("the password is the first line of passfile, taken from the config's directory when relative") {
  TempDir dir;
  dir.Write("mail.pass", "s3cret\r\nsecond line\n");
  chmod(dir.File("mail.pass").c_str(), 0600);

  const Read read(dir, "user = robot@example.com\npassfile = mail.pass\n");

  CHECK(read.diagnostics.ok());
  CHECK(read.warnings.empty());
  CHECK(read.settings.smtp.password == "s3cret");
  CHECK(read.settings.imap.password == "s3cret");
  CHECK(read.settings.password_in_file);
}

TEST_CASE("a passfile every user may read is read, with a warning") {
  TempDir dir;
  dir.Write("mail.pass", "s3cret");
  chmod(dir.File("mail.pass").c_str(), 0644);

  const Read read(dir, "passfile = " + dir.File("mail.pass") + "\n");

  CHECK(read.settings.smtp.password == "s3cret");
  CHECK(read.warnings == std::vector<std::string>{dir.File("mail.pass") +
                                                  ": the password file is readable by every user; chmod o-r it"});
}

TEST_CASE("a passfile that is missing or not a regular file is an error naming passfile") {
  TempDir dir;
  std::filesystem::create_directory(dir.File("folder"));

  const Read missing(dir, "passfile = nosuch\n");
  const Read folder(dir, "passfile = folder\n");

  const std::string at = dir.File("settings.cfg") + ":2: [email] passfile: ";
  CHECK(missing.diagnostics.errors ==
        std::vector<std::string>{at + "cannot read '" + dir.File("nosuch") + "': No such file or directory"});
  CHECK(folder.diagnostics.errors ==
        std::vector<std::string>{at + "'" + dir.File("folder") + "' is not a regular file"});
}

TEST_CASE("pass and passfile together are an error") {
  TempDir dir;
  dir.Write("mail.pass", "s3cret");
  chmod(dir.File("mail.pass").c_str(), 0600);

  const Read read(dir, "pass = other\npassfile = mail.pass\n");

  CHECK(read.diagnostics.errors ==
        std::vector<std::string>{dir.File("settings.cfg") + ":3: [email] passfile: set pass or passfile, not both"});
}

TEST_CASE("the round trip looks in imapfolder only when the provider deletes sent mail from the inbox") {
  TempDir dir;
  const Read deletes(dir, "ideletesentmessagesautomatically = true\n");
  const Read deletes_into(dir, "ideletesentmessagesautomatically = true\nimapfolder = Archive\n");
  const Read keeps(dir, "imapfolder = Archive\n");

  CHECK(deletes.settings.round_trip_folder == "[Gmail]/Trash");
  CHECK(deletes_into.settings.round_trip_folder == "Archive");
  CHECK(keeps.settings.round_trip_folder == "INBOX");
}

TEST_CASE("with imapserver set, user must be an email address and smtpserver is required") {
  TempDir dir;
  const Read read(dir, "imapserver = imap.example.com\nuser = robot\n");
  const Read fine(dir, "imapserver = imap.example.com\nsmtpserver = smtp.example.com\nuser = robot@example.com\n");

  const std::string at = dir.File("settings.cfg") + ":";
  CHECK(
      read.diagnostics.errors ==
      std::vector<std::string>{
          at + "3: [email] user: must be the account's email address when imapserver is set (the round trip mails it)",
          at + "1: [email] smtpserver: is required when imapserver is set (the round trip sends through it)"});
  CHECK(fine.diagnostics.ok());
}

TEST_CASE("an IPv6 server is written in brackets with its port") {
  MailServer server;
  server.host = "2001:db8::25";
  server.port = 587;

  CHECK(HostPort(server) == "[2001:db8::25]:587");
}
