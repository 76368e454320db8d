// The frame a worker sends its parent: whole or not at all, capped, bounds-checked.
#include "engine/worker_frame.h"

#include <catch2/catch.hpp>
#include <cstring>

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

TEST_CASE("a success with nothing else decodes as a success") {
  JobOutcome outcome;
  outcome.result = {true, ""};

  const auto decoded = DecodeFrame(EncodeFrame(0, outcome));

  REQUIRE(decoded);
  CHECK(decoded->second.result.success);
  CHECK(decoded->second.result.measurements.empty());
}

TEST_CASE("a capped text keeps its first bytes and ends in ...") {
  JobOutcome outcome;
  outcome.result.message = std::string(kMaxMessageBytes + 100, 'm');
  outcome.failure.subject = std::string(kMaxMessageBytes + 100, 's');
  outcome.failure.body = std::string(kMaxNotificationBytes + 100, 'b');
  outcome.recovery.body = std::string(kMaxNotificationBytes, 'r');

  const auto decoded = DecodeFrame(EncodeFrame(1, outcome));

  REQUIRE(decoded);
  CHECK(decoded->second.result.message == std::string(kMaxMessageBytes, 'm') + "...");
  CHECK(decoded->second.failure.subject == std::string(kMaxMessageBytes, 's') + "...");
  CHECK(decoded->second.failure.body == std::string(kMaxNotificationBytes, 'b') + "...");
  CHECK(decoded->second.recovery.body == std::string(kMaxNotificationBytes, 'r'));
}

TEST_CASE("at most 256 measurements are passed on") {
  JobOutcome outcome;
  outcome.result.measurements.resize(kMaxMeasurements + 10);

  const auto decoded = DecodeFrame(EncodeFrame(1, outcome));

  REQUIRE(decoded);
  CHECK(decoded->second.result.measurements.size() == kMaxMeasurements);
}

TEST_CASE("a frame cut anywhere, shorter than its fields or with a length past its end decodes to nothing") {
  JobOutcome outcome;
  outcome.result = {false, "disk 91% full", {{"/", 91.5, "percent", "80", "90", "0", "100"}}};
  const std::string frame = EncodeFrame(3, outcome);
  std::string lying_length = frame;
  const std::uint32_t huge = 0xffffffff;
  std::memcpy(&lying_length[4 + 4 + 4 + 8], &huge, 4);  // the message's length

  CHECK_FALSE(DecodeFrame(frame.substr(0, frame.size() - 1)));
  CHECK_FALSE(DecodeFrame(frame.substr(0, 10)));
  CHECK_FALSE(DecodeFrame(lying_length));
  CHECK_FALSE(DecodeFrame(std::string(4, '\0')));
  CHECK_FALSE(DecodeFrame(""));
  CHECK_FALSE(DecodeFrame("ab"));
}

TEST_CASE("a start notice and an outcome sent in one write are told apart") {
  JobOutcome outcome;
  outcome.result = {true, "connected"};
  const std::string written = EncodeFrame(3, outcome) + EncodeStartNotice(4);
  const std::size_t first = CompleteFrameLength(written);
  REQUIRE(first > 0);
  const std::string outcome_frame = written.substr(0, first);
  CHECK_FALSE(DecodeStartNotice(outcome_frame));
  REQUIRE(DecodeFrame(outcome_frame));
  const std::string rest = written.substr(first);
  REQUIRE(CompleteFrameLength(rest) == rest.size());
  CHECK(DecodeStartNotice(rest) == std::optional<std::uint32_t>(4));
  CHECK_FALSE(DecodeFrame(rest));
}
