// The catalog: jobs from plugins with their section's policy, refusals as failing stand-ins.
#include "hosting/job_catalog.h"

#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>

#include "temp_dir.h"

using namespace checker;

namespace {

class NamedJob : public JobBase {
 public:
  NamedJob(std::string name, bool checkins) : name_(std::move(name)), checkins_(checkins) {}
  std::string Name() const override { return name_; }
  JobTraits Traits() const override {
    JobTraits traits;
    traits.accepts_checkins = checkins_;
    return traits;
  }
  JobResult Execute(const RunContext&) override { return {true, ""}; }

 private:
  std::string name_;
  bool checkins_;
};

// Makes the jobs it is told to, whatever the sections say.
class FixedSpawner : public JobSpawner {
 public:
  explicit FixedSpawner(std::vector<std::string> names, bool checkins = false)
      : names_(std::move(names)), checkins_(checkins) {}
  std::vector<std::unique_ptr<JobBase>> Spawn(PluginSettings&) override {
    std::vector<std::unique_ptr<JobBase>> jobs;
    for (const auto& name : names_) jobs.push_back(std::make_unique<NamedJob>(name, checkins_));
    return jobs;
  }

 private:
  std::vector<std::string> names_;
  bool checkins_;
};

LoadedPlugin Plugin(const std::string& name, std::vector<std::string> jobs, bool checkins = false) {
  LoadedPlugin plugin;
  plugin.name = name;
  plugin.path = "/plugins/" + name + ".so";
  plugin.spawner = std::make_shared<FixedSpawner>(std::move(jobs), checkins);
  return plugin;
}

struct Built {
  Config config;
  Diagnostics diagnostics;
  JobCatalog catalog;
};

Built Build(const std::string& text, PluginSet plugins) {
  Built built;
  std::vector<std::string> errors;
  KeyUsage usage;
  built.config = Config::FromFile(SettingsFile::ParseText("s.cfg", text, errors), usage, built.diagnostics);
  built.catalog = JobCatalog::Build(built.config, plugins, usage, built.diagnostics);
  return built;
}

const std::string kGeneral =
    "[general]\nservername = a\nalertcontact = ops@example.com\nstatefile = /tmp/s.db\n"
    "[email]\nnomail = true\n";

}  // namespace

TEST_CASE("a job takes [PLUGIN] defaults and its own section's overrides") {
  PluginSet plugins;
  plugins.loaded = {Plugin("tcp", {"tcp:a", "tcp:b"})};
  const auto built =
      Build(kGeneral + "[tcp]\nnotify = every\n[tcp:a]\nnotify = day\nfrequency = hour\n[tcp:b]\n", plugins);
  CHECK(built.diagnostics.errors.empty());
  const Job* a = built.catalog.Find("tcp:a");
  const Job* b = built.catalog.Find("tcp:b");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->policy.notify == NotifyEvery::kDay);
  CHECK(a->frequency == Frequency::kHour);
  CHECK(b->policy.notify == NotifyEvery::kEvery);
  CHECK(b->recipients == std::vector<std::string>{"ops@example.com"});
}

TEST_CASE("a refused plugin becomes a failing stand-in named after its file") {
  PluginSet plugins;
  plugins.refused = {{"bad", "/plugins/bad.so", "/plugins/bad.so: refused: writable by every user"}};
  const auto built = Build(kGeneral, plugins);
  const Job* job = built.catalog.Find("plugin:bad.so");
  REQUIRE(job);
  CHECK_FALSE(job->impl);
  CHECK(job->refusal.find("writable by every user") != std::string::npos);
  CHECK(built.catalog.RefusedPluginCount() == 1);
}

TEST_CASE("a plugin that names its jobs badly or twice is refused as a whole") {
  PluginSet plugins;
  plugins.loaded = {Plugin("tcp", {"tcp:a", "tcp:a"}), Plugin("http", {"tcp:impostor"})};
  const auto built = Build(kGeneral, plugins);
  CHECK_FALSE(built.catalog.Find("tcp:a"));
  CHECK(built.catalog.Find("plugin:tcp.so"));
  CHECK(built.catalog.Find("plugin:http.so"));
}

TEST_CASE("a job section whose plugin is not installed is an error naming the nearest plugin") {
  PluginSet plugins;
  plugins.loaded = {Plugin("tcp", {})};
  plugins.installed = {"tcp", "http"};
  const auto built = Build(kGeneral + "[tpc:db]\nhost = x\n", plugins);
  REQUIRE(built.diagnostics.errors.size() == 1);
  CHECK(built.diagnostics.errors[0].find("s.cfg:7: [tpc:db]: no plugin 'tpc'; did you mean 'tcp'?") == 0);
}

TEST_CASE("check-ins find a job that accepts them by its full or bare name, and no other") {
  PluginSet plugins;
  plugins.loaded = {Plugin("heartbeat", {"heartbeat:backup"}, true), Plugin("tcp", {"tcp:backup"})};
  const auto built = Build(kGeneral, plugins);
  CHECK(built.catalog.FindCheckinJob("backup") == built.catalog.Find("heartbeat:backup"));
  CHECK(built.catalog.FindCheckinJob("heartbeat:backup"));
  CHECK_FALSE(built.catalog.FindCheckinJob("tcp:backup"));
  CHECK(built.catalog.FindByCommandName("tcp:backup"));
}

namespace {

// A job with the policy and traits a test gives it.
class TestJob : public JobBase {
 public:
  explicit TestJob(std::string name, JobTraits traits = {}) : name_(std::move(name)), traits_(traits) {}
  std::string Name() const override { return name_; }
  std::string StateKey() const override { return state_key; }
  Frequency ExecuteEvery() const override { return frequency; }
  NotifyEvery NotifyOnFailureEvery() const override { return notify; }
  int NumberFailuresBeforeNotification() const override { return failures_before_notify; }
  std::vector<std::string> AlertContacts() const override { return alert_contacts; }
  JobTraits Traits() const override { return traits_; }
  JobResult Execute(const RunContext&) override { return {true, "ok"}; }

  std::string state_key;
  Frequency frequency = Frequency::kMinute;
  NotifyEvery notify = NotifyEvery::kHour;
  int failures_before_notify = 1;
  std::vector<std::string> alert_contacts;

 private:
  std::string name_;
  JobTraits traits_;
};

// A spawner whose jobs a test makes, from the plugin's settings.
class TestSpawner : public JobSpawner {
 public:
  using Make = std::function<std::vector<std::unique_ptr<JobBase>>(PluginSettings&)>;
  explicit TestSpawner(Make make) : make_(std::move(make)) {}
  std::vector<std::unique_ptr<JobBase>> Spawn(PluginSettings& settings) override { return make_(settings); }

 private:
  Make make_;
};

// One job "PLUGIN:NAME" per [PLUGIN:NAME] section.
LoadedPlugin OneJobPerSection(const std::string& plugin, JobTraits traits = {}) {
  auto spawner = std::make_shared<TestSpawner>([plugin, traits](PluginSettings& settings) {
    std::vector<std::unique_ptr<JobBase>> jobs;
    for (const auto& instance : settings.Instances())
      jobs.push_back(std::make_unique<TestJob>(plugin + ":" + instance, traits));
    return jobs;
  });
  return {plugin, "/plugins/" + plugin + ".so", spawner, nullptr};
}

// A plugin whose spawner makes exactly the jobs named.
LoadedPlugin MakingJobsNamed(const std::string& plugin, std::vector<std::string> names) {
  auto spawner = std::make_shared<TestSpawner>([names](PluginSettings&) {
    std::vector<std::unique_ptr<JobBase>> jobs;
    for (const auto& name : names) jobs.push_back(std::make_unique<TestJob>(name));
    return jobs;
  });
  return {plugin, "/plugins/" + plugin + ".so", spawner, nullptr};
}

const std::string kGeneralInDir =
    "[general]\nservername = web1\nalertcontact = ops@example.com\njobtimeout = 40\nstatefile = state.db\n"
    "[email]\nnomail = true\n";

// The catalog of `plugins` under settings.cfg `text`, in a private directory.
struct BuiltFrom {
  BuiltFrom(const std::string& text, PluginSet plugins) {
    std::vector<std::string> errors;
    config = Config::FromFile(SettingsFile::ParseText(dir.File("settings.cfg"), kGeneralInDir + text, errors), usage,
                              diagnostics);
    REQUIRE(errors.empty());
    for (const auto& error : diagnostics.errors) UNSCOPED_INFO(error);
    REQUIRE(diagnostics.ok());
    catalog = JobCatalog::Build(config, plugins, usage, diagnostics);
  }

  const Job& JobNamed(const std::string& name) const {
    const Job* job = catalog.Find(name);
    INFO(name);
    REQUIRE(job);
    return *job;
  }

  TempDir dir;
  KeyUsage usage;
  Diagnostics diagnostics;
  Config config;
  JobCatalog catalog;
};

bool HasMessage(const std::vector<std::string>& messages, const std::string& text) {
  for (const auto& message : messages) {
    if (message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("where its sections say nothing, a job keeps its own policy, state key and alert contacts") {
  auto spawner = std::make_shared<TestSpawner>([](PluginSettings&) {
    auto job = std::make_unique<TestJob>("own:job");
    job->state_key = "stable";
    job->frequency = Frequency::kDayNoon;
    job->notify = NotifyEvery::kStateChange;
    job->failures_before_notify = 0;  // read as 1
    job->alert_contacts = {"owner@example.com"};
    std::vector<std::unique_ptr<JobBase>> jobs;
    jobs.push_back(std::move(job));
    return jobs;
  });

  const BuiltFrom built("", {{{"own", "/plugins/own.so", spawner, nullptr}}, {}, {}});

  const Job& job = built.JobNamed("own:job");
  CHECK(job.key == "own:stable");
  CHECK(job.frequency == Frequency::kDayNoon);
  CHECK(job.policy.notify == NotifyEvery::kStateChange);
  CHECK(job.policy.failures_before_notify == 1);
  CHECK(job.recipients == std::vector<std::string>{"owner@example.com"});
  CHECK(job.enabled);
  REQUIRE(job.impl);
  CHECK(job.impl->Name() == "own:job");
}

TEST_CASE("a plugin that exports one job, not a spawner, gives that job") {
  const BuiltFrom built("",
                        {{{"single", "/plugins/single.so", nullptr, std::make_shared<TestJob>("single:it")}}, {}, {}});

  CHECK(built.catalog.jobs().size() == 1);
  CHECK(built.JobNamed("single:it").plugin == "single");
}

TEST_CASE("a job's traits are copied from the plugin's job") {
  JobTraits traits;
  traits.accepts_checkins = true;
  traits.watches_mail = true;
  traits.watches_peer = true;

  const BuiltFrom built("[beat:backups]\n", {{OneJobPerSection("beat", traits)}, {}, {}});

  const Job& job = built.JobNamed("beat:backups");
  CHECK(job.traits.accepts_checkins);
  CHECK(job.traits.watches_mail);
  CHECK(job.traits.watches_peer);
}

TEST_CASE("a plugin that names one job outside its own PLUGIN: prefix is refused as a whole") {
  const BuiltFrom built("", {{MakingJobsNamed("probe", {"probe:good", "other:bad"})}, {}, {}});

  CHECK_FALSE(built.catalog.Find("probe:good"));
  CHECK_FALSE(built.catalog.Find("other:bad"));
  const Job& stand_in = built.JobNamed("plugin:probe.so");
  CHECK(stand_in.refusal ==
        "/plugins/probe.so: refused: makes a job named 'other:bad'; names must be 'probe:NAME' with NAME made of "
        "letters, digits and _ . @ -");
  CHECK(HasMessage(built.diagnostics.warnings, "makes a job named 'other:bad'"));
}

TEST_CASE("a job NAME with a space, a slash or nothing at all refuses its plugin") {
  for (const std::string bad : {"probe:with space", "probe:a/b", "probe:", "probe"}) {
    INFO(bad);
    const BuiltFrom built("", {{MakingJobsNamed("probe", {bad})}, {}, {}});

    CHECK(built.catalog.jobs().size() == 1);
    CHECK(built.catalog.RefusedPluginCount() == 1);
  }
}

TEST_CASE("a plugin that makes two jobs of one state key is refused with both names and keys said") {
  const BuiltFrom twice("", {{MakingJobsNamed("probe", {"probe:a", "probe:b", "probe:a"})}, {}, {}});
  auto same_key = std::make_shared<TestSpawner>([](PluginSettings&) {
    std::vector<std::unique_ptr<JobBase>> jobs;
    for (const char* name : {"keyed:a", "keyed:b"}) {
      auto job = std::make_unique<TestJob>(name);
      job->state_key = "same";
      jobs.push_back(std::move(job));
    }
    return jobs;
  });
  const BuiltFrom keyed("", {{{"keyed", "/plugins/keyed.so", same_key, nullptr}}, {}, {}});

  CHECK_FALSE(twice.catalog.Find("probe:b"));
  CHECK(twice.JobNamed("plugin:probe.so").refusal == "/plugins/probe.so: refused: makes two jobs named 'probe:a'");
  CHECK_FALSE(keyed.catalog.Find("keyed:a"));
  CHECK(keyed.JobNamed("plugin:keyed.so").refusal ==
        "/plugins/keyed.so: refused: makes two jobs with the state key 'keyed:same'");
}

TEST_CASE("a spawner that throws is refused, and the other plugins' jobs stay") {
  auto throwing = std::make_shared<TestSpawner>(
      [](PluginSettings&) -> std::vector<std::unique_ptr<JobBase>> { throw std::runtime_error("out of cheese"); });

  const BuiltFrom built("[probe:a]\n",
                        {{{"thrower", "/plugins/thrower.so", throwing, nullptr}, OneJobPerSection("probe")}, {}, {}});

  CHECK(built.JobNamed("plugin:thrower.so").refusal ==
        "/plugins/thrower.so: refused: spawning its jobs threw: out of cheese");
  CHECK(built.catalog.Find("probe:a"));
}

TEST_CASE("a job section of a refused plugin is covered by the refusal alone") {
  const BuiltFrom built("[broken:x]\n",
                        {{}, {{"broken", "/plugins/broken.so", "/plugins/broken.so: refused: no ELF"}}, {}});

  CHECK(built.diagnostics.warnings.empty());
  CHECK(built.usage.UnknownEntries(built.config.file).empty());
}
