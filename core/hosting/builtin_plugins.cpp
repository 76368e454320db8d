#include "hosting/builtin_plugins.h"

#include "config/config.h"

namespace checker {
namespace {

// Built-in plugins whose jobs come from another section than their own: the
// plugin is used when `section` sets `key` (any key when `key` is empty).
struct MadeFromSection {
  const char* plugin;
  const char* section;
  const char* key;
};

const MadeFromSection kRegistry[] = {
    {"peer", "peers", ""},             // one job per peer
    {"email", "email", "imapserver"},  // the round trip, when an IMAP server is set
};

}  // namespace

bool BuiltinPluginUsed(const std::string& name, const SettingsFile& file, KeyUsage& usage) {
  const std::string prefix = name + ":";
  for (const auto& section : file.sections()) {
    if (section.name.compare(0, prefix.size(), prefix) == 0) return true;
    if (section.name == name && !IsCoreSection(name)) return true;
  }
  for (const auto& entry : kRegistry) {
    if (name != entry.plugin) continue;
    const SettingsSection* section = file.FindSection(entry.section);
    if (!section) continue;
    if (*entry.key ? file.Find(entry.section, entry.key) != nullptr : !section->values.empty()) return true;
    if (!IsCoreSection(entry.section)) usage.MarkWholeSection(entry.section);
  }
  return false;
}

}  // namespace checker
