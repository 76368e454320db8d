// Fuzz target: settings.cfg text through inih and the core's validation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "config/key_usage.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> errors;
  checker::SettingsFile file =
      checker::SettingsFile::ParseText("fuzz.cfg", std::string(reinterpret_cast<const char*>(data), size), errors);
  checker::KeyUsage usage;
  checker::Diagnostics diagnostics;
  diagnostics.errors = errors;
  checker::Config config = checker::Config::FromFile(std::move(file), usage, diagnostics);
  for (const auto& section : config.file.sections()) config.JobKeys(section.name, usage, diagnostics);
  return 0;
}
