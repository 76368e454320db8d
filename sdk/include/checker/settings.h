// What a plugin sees of settings.cfg.
//
// A plugin named PLUGIN (its file is PLUGIN.so) owns the sections [PLUGIN:NAME],
// one per job instance, and [PLUGIN], which holds defaults for all of them.
// PluginSettings is that view; the core implements it and keeps every value's
// file and line so that a bad value is reported where the operator wrote it.
// InstanceConfig turns values into typed settings and reports bad ones.
#pragma once

#include <checker/values.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace checker {

class PluginSettings {
 public:
  virtual ~PluginSettings() = default;

  // The NAME of every [PLUGIN:NAME] section, in file order.
  virtual std::vector<std::string> Instances() const = 0;

  // The value of `key` in [PLUGIN:instance], else in [PLUGIN], else nothing.
  // Reading a key marks it as known, so it is not reported as unknown.
  virtual std::optional<std::string> Get(const std::string& instance, const std::string& key) = 0;

  // The value of `key` in another section, such as ("general", "maxbody").
  virtual std::optional<std::string> GetGlobal(const std::string& section, const std::string& key) = 0;

  // The keys of another section, in file order, such as those of [peers].
  virtual std::vector<std::string> GlobalKeys(const std::string& section) const = 0;

  // Refuses the configuration: the core prints the file, line, section and key
  // with `message` and runs nothing. Use it for values a job cannot work with.
  virtual void Error(const std::string& instance, const std::string& key, const std::string& message) = 0;

  // The same for a key of another section, such as ("peers", "peer1").
  virtual void GlobalError(const std::string& section, const std::string& key, const std::string& message) = 0;

  // A path as settings.cfg means it: a relative one is taken from the
  // directory that holds settings.cfg.
  virtual std::string ResolvePath(const std::string& path) const = 0;

  // True under `checker -m validate`. A problem that would only make a job
  // fail when it runs (a program that is not installed yet) is an error then;
  // at a tick, make the job anyway and let it fail, so that one missing file
  // does not stop every other job.
  virtual bool Validating() const = 0;
};

// Typed access to one instance's keys. Bad values are reported through
// PluginSettings::Error and replaced by the default, so a spawner can go on
// and report every problem at once; the core will not run the jobs.
class InstanceConfig {
 public:
  InstanceConfig(PluginSettings& settings, std::string instance)
      : settings_(settings), instance_(std::move(instance)) {}

  const std::string& instance() const { return instance_; }

  // Whether the section (or [PLUGIN]) sets `key`; marks it as known.
  bool Has(const std::string& key) { return settings_.Get(instance_, key).has_value(); }

  // The value of `key` in another section, such as ("general", "maxbody").
  std::optional<std::string> Global(const std::string& section, const std::string& key) {
    return settings_.GetGlobal(section, key);
  }

  std::string String(const std::string& key, const std::string& fallback = "") {
    return settings_.Get(instance_, key).value_or(fallback);
  }

  std::string RequiredString(const std::string& key) {
    auto value = settings_.Get(instance_, key);
    if (!value || value->empty()) {
      settings_.Error(instance_, key, "is required");
      return "";
    }
    return *value;
  }

  std::int64_t Integer(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    auto value = settings_.Get(instance_, key);
    if (!value) return fallback;
    std::optional<std::int64_t> number;
    if (!value->empty() && value->find_first_not_of("0123456789") == std::string::npos && value->size() < 19)
      number = std::stoll(*value);
    if (!number || *number < min || *number > max) {
      settings_.Error(instance_, key,
                      "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not '" +
                          *value + "'");
      return fallback;
    }
    return *number;
  }

  bool Boolean(const std::string& key, bool fallback) {
    auto value = settings_.Get(instance_, key);
    if (!value) return fallback;
    auto parsed = ParseBool(*value);
    if (!parsed) {
      settings_.Error(instance_, key, "must be true or false, not '" + *value + "'");
      return fallback;
    }
    return *parsed;
  }

  // Seconds; accepts "10", "10s", "5m", "2h", "1d".
  std::int64_t Duration(const std::string& key, std::int64_t fallback) {
    auto value = settings_.Get(instance_, key);
    if (!value) return fallback;
    auto parsed = ParseDuration(*value);
    if (!parsed) {
      settings_.Error(instance_, key, "must be a duration such as 30s, 5m or 2h, not '" + *value + "'");
      return fallback;
    }
    return *parsed;
  }

  void Error(const std::string& key, const std::string& message) { settings_.Error(instance_, key, message); }

  bool Validating() const { return settings_.Validating(); }

 private:
  PluginSettings& settings_;
  std::string instance_;
};

}  // namespace checker
