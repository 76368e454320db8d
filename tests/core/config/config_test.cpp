// The core's settings: defaults, typed values and errors that name file:line and key.
#include "config/config.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace checker;

namespace {

const std::string kGeneral =
    "[general]\nservername = web1\nalertcontact = a@example.com, b@example.com\nstatefile = state.db\n";
// A delivery channel, which every runnable configuration has.
const std::string kWebhook = "[webhook]\nurl = http://127.0.0.1:9/hook\n";

bool HasMessage(const std::vector<std::string>& messages, const std::string& text) {
  for (const auto& message : messages) {
    if (message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("defaults apply when [general] gives only the required keys") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto config = Config::Load(dir.Write("settings.cfg", kGeneral + kWebhook), usage, diagnostics);
  CHECK(diagnostics.errors.empty());
  CHECK(config.general.servername == "web1");
  CHECK(config.general.alertcontact == std::vector<std::string>{"a@example.com", "b@example.com"});
  CHECK(config.general.jobtimeout == 30);
  CHECK(config.general.parallelism == 16);
  CHECK(config.general.maxbody == 1024 * 1024);
  CHECK(config.general.maxtickgap == 300);
  CHECK(config.general.statefile == dir.path() + "/state.db");
  CHECK(config.email.smtp.port == 587);
}

TEST_CASE("servername and alertcontact are required") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto path = dir.Write("settings.cfg", "[general]\nlogfile = x.log\n");
  Config::Load(path, usage, diagnostics);
  CHECK(HasMessage(diagnostics.errors, "[general] servername: is required"));
  CHECK(HasMessage(diagnostics.errors, "[general] alertcontact: is required"));
}

TEST_CASE("a bad value is an error naming file, line and key") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto path = dir.Write("settings.cfg", kGeneral + "parallelism = lots\nmaxbody = 1X\n");
  Config::Load(path, usage, diagnostics);
  CHECK(HasMessage(diagnostics.errors, path + ":5: [general] parallelism: must be a whole number"));
  CHECK(HasMessage(diagnostics.errors, path + ":6: [general] maxbody:"));
}

TEST_CASE("a statefile in a missing directory is an error naming the key") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto path = dir.Write("settings.cfg", "[general]\nservername = a\nalertcontact = b@c\nstatefile = nodir/state.db\n");
  Config::Load(path, usage, diagnostics);
  CHECK(HasMessage(diagnostics.errors, path + ":4: [general] statefile: the directory"));
}

TEST_CASE("relative paths are taken from the directory of settings.cfg") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto config = Config::Load(dir.Write("settings.cfg", kGeneral), usage, diagnostics);
  CHECK(config.general.statefile == dir.path() + "/state.db");
}

TEST_CASE("the smtp port follows the security setting") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto config = Config::Load(dir.Write("settings.cfg", kGeneral + "[email]\nsmtpsecurity = tls\nnomail = true\n"),
                             usage, diagnostics);
  CHECK(config.email.smtp.port == 465);
  CHECK(config.email.nomail);
}

TEST_CASE("job keys come from [PLUGIN:NAME], then [PLUGIN]") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto config =
      Config::Load(dir.Write("settings.cfg", kGeneral + kWebhook +
                                                 "[tcp]\nnotify = every\ntimeout = 5\n[tcp:dns]\ntimeout = 2m\n"
                                                 "frequency = hour\nalertcontact = dns@example.com\n"),
                   usage, diagnostics);
  auto keys = config.JobKeys("tcp:dns", usage, diagnostics);
  CHECK(diagnostics.errors.empty());
  CHECK(keys.notify == NotifyEvery::kEvery);
  CHECK(keys.timeout == 120);
  CHECK(keys.frequency == Frequency::kHour);
  CHECK(keys.alertcontact == std::vector<std::string>{"dns@example.com"});
  CHECK_FALSE(keys.failures_before_notify.has_value());
}

TEST_CASE("bad job keys name the section and key") {
  TempDir dir;
  Diagnostics diagnostics;
  KeyUsage usage;
  auto path = dir.Write("settings.cfg", kGeneral +
                                            "[tcp:dns]\nfrequency = weekly\nnotify = sometimes\n"
                                            "failures_before_notify = 0\n");
  auto config = Config::Load(path, usage, diagnostics);
  config.JobKeys("tcp:dns", usage, diagnostics);
  CHECK(HasMessage(diagnostics.errors, path + ":6: [tcp:dns] frequency: must be minute, hour, day or day_noon"));
  CHECK(HasMessage(diagnostics.errors, path + ":7: [tcp:dns] notify:"));
  CHECK(HasMessage(diagnostics.errors, path + ":8: [tcp:dns] failures_before_notify:"));
}

TEST_CASE("a configuration without any delivery channel is an error unless nomail says logging is intended") {
  TempDir dir;
  {
    Diagnostics diagnostics;
    KeyUsage usage;
    const auto path = dir.Write("settings.cfg", kGeneral + "[emial]\nsmtpserver = mail.example.com\n");
    Config::Load(path, usage, diagnostics);
    CHECK(HasMessage(diagnostics.errors, path + ": no delivery channel"));
  }
  for (const std::string& channel :
       {std::string("[email]\nnomail = true\n"), std::string("[email]\nsmtpserver = mail.example.com\n"), kWebhook}) {
    Diagnostics diagnostics;
    KeyUsage usage;
    Config::Load(dir.Write("settings.cfg", kGeneral + channel), usage, diagnostics);
    CHECK(diagnostics.errors.empty());
  }
}
