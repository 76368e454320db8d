// The frame a worker sends its parent: whole or not at all, capped, bounds-checked.
#include "engine/worker_frame.h"

#include <catch2/catch.hpp>

using namespace checker;

TEST_CASE("an outcome with measurements travels whole") {
  JobOutcome outcome;
  outcome.result = {false, "DISK CRITICAL"};
  Measurement disk;
  disk.label = "/";
  disk.value = 310.5;
  disk.unit = "bytes";
  disk.warning = "10:";
  outcome.result.measurements = {disk};
  outcome.failure = {"subject", "body"};
  outcome.duration_seconds = 1.25;
  const std::string frame = EncodeFrame(7, outcome);
  REQUIRE(CompleteFrameLength(frame) == frame.size());
  const auto decoded = DecodeFrame(frame);
  REQUIRE(decoded);
  CHECK(decoded->first == 7);
  const JobOutcome& back = decoded->second;
  CHECK_FALSE(back.result.success);
  CHECK(back.result.message == "DISK CRITICAL");
  CHECK(back.failure.subject == "subject");
  CHECK(back.duration_seconds == 1.25);
  REQUIRE(back.result.measurements.size() == 1);
  CHECK(back.result.measurements[0].label == "/");
  CHECK(back.result.measurements[0].value == 310.5);
  CHECK(back.result.measurements[0].warning == "10:");
}

TEST_CASE("a partial frame is not complete, and two frames are told apart") {
  const std::string frame = EncodeFrame(1, {});
  CHECK(CompleteFrameLength(frame.substr(0, frame.size() - 1)) == 0);
  CHECK(CompleteFrameLength(frame.substr(0, 3)) == 0);
  CHECK(CompleteFrameLength(frame + frame) == frame.size());
}

TEST_CASE("a job's message and body are capped") {
  JobOutcome outcome;
  outcome.result = {true, std::string(100000, 'm')};
  outcome.recovery = {"s", std::string(1000000, 'b')};
  const auto decoded = DecodeFrame(EncodeFrame(0, outcome));
  REQUIRE(decoded);
  CHECK(decoded->second.result.message.size() <= kMaxMessageBytes + 3);
  CHECK(decoded->second.recovery.body.size() <= kMaxNotificationBytes + 3);
}

TEST_CASE("a malformed frame decodes to nothing") {
  std::string frame = EncodeFrame(0, {});
  frame[20] = '\xff';  // a text length far past the end
  frame[21] = '\xff';
  CHECK_FALSE(DecodeFrame(frame));
  CHECK_FALSE(DecodeFrame(std::string("\x02\0\0\0ab", 6)));
}
