// The catalog: jobs from plugins with their section's policy, refusals as failing stand-ins.
#include "hosting/job_catalog.h"

#include <catch2/catch.hpp>

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
