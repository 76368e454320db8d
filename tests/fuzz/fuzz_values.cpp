// Fuzz target: the SDK's value parsers (durations, sizes, booleans, lists).
#include <checker/values.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto seconds = checker::ParseDuration(text); seconds && *seconds < 0) std::abort();
  if (auto bytes = checker::ParseByteSize(text); bytes && *bytes < 0) std::abort();
  checker::ParseBool(text);
  for (const auto& part : checker::SplitList(text, ',')) {
    if (part != checker::Trim(part)) std::abort();
  }
  return 0;
}
