// Fuzz target: the frames a worker sends its parent. A malformed frame is
// refused, never read past its end; a decoded one encodes again alike.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/worker_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string buffer(reinterpret_cast<const char*>(data), size);
  const std::size_t length = checker::CompleteFrameLength(buffer);
  if (length > buffer.size()) std::abort();
  auto decoded = checker::DecodeFrame(length ? buffer.substr(0, length) : buffer);
  if (decoded) {
    const std::string again = checker::EncodeFrame(decoded->first, decoded->second);
    if (!checker::DecodeFrame(again)) std::abort();
  }
  return 0;
}
