#include "engine/worker_frame.h"

#include <cstring>

#include "util/text.h"

namespace checker {
namespace {

void AppendU32(std::string& out, std::uint32_t value) { out.append(reinterpret_cast<const char*>(&value), 4); }

void AppendDouble(std::string& out, double value) { out.append(reinterpret_cast<const char*>(&value), 8); }

void AppendText(std::string& out, const std::string& text, std::size_t cap) {
  const std::string capped = Shorten(text, cap + 3);
  AppendU32(out, static_cast<std::uint32_t>(capped.size()));
  out += capped;
}

// Reads fields in order, failing (and staying failed) past the end.
class Reader {
 public:
  explicit Reader(const std::string& data) : data_(data) {}
  bool ok() const { return ok_; }
  std::uint32_t U32() {
    std::uint32_t value = 0;
    Bytes(&value, 4);
    return value;
  }
  double Double() {
    double value = 0;
    Bytes(&value, 8);
    return value;
  }
  std::string Text() {
    const std::uint32_t length = U32();
    if (!ok_ || Left() < length) {
      ok_ = false;
      return "";
    }
    std::string text = data_.substr(at_, length);
    at_ += length;
    return text;
  }

 private:
  void Bytes(void* into, std::size_t count) {
    if (!ok_ || Left() < count) {
      ok_ = false;
      return;
    }
    std::memcpy(into, data_.data() + at_, count);
    at_ += count;
  }
  // Bytes left to read; none in a frame shorter than its length field.
  std::size_t Left() const { return at_ < data_.size() ? data_.size() - at_ : 0; }

  const std::string& data_;
  std::size_t at_ = 4;  // after the frame's length
  bool ok_ = true;
};

}  // namespace

std::string EncodeFrame(std::uint32_t index, const JobOutcome& outcome) {
  std::string frame;
  AppendU32(frame, 0);  // the length, set below
  AppendU32(frame, index);
  AppendU32(frame, outcome.result.success ? 1 : 0);
  AppendDouble(frame, outcome.duration_seconds);
  AppendText(frame, outcome.result.message, kMaxMessageBytes);
  AppendText(frame, outcome.failure.subject, kMaxMessageBytes);
  AppendText(frame, outcome.failure.body, kMaxNotificationBytes);
  AppendText(frame, outcome.recovery.subject, kMaxMessageBytes);
  AppendText(frame, outcome.recovery.body, kMaxNotificationBytes);
  const auto& measurements = outcome.result.measurements;
  const std::size_t count = std::min(measurements.size(), kMaxMeasurements);
  AppendU32(frame, static_cast<std::uint32_t>(count));
  for (std::size_t i = 0; i < count; ++i) {
    const Measurement& measurement = measurements[i];
    AppendText(frame, measurement.label, kMaxMessageBytes);
    AppendDouble(frame, measurement.value);
    for (const std::string* text :
         {&measurement.unit, &measurement.warning, &measurement.critical, &measurement.min, &measurement.max}) {
      AppendText(frame, *text, kMaxMessageBytes);
    }
  }
  const auto length = static_cast<std::uint32_t>(frame.size() - 4);
  std::memcpy(frame.data(), &length, 4);
  return frame;
}

std::string EncodeStartNotice(std::uint32_t index) {
  std::string frame;
  AppendU32(frame, 4);
  AppendU32(frame, index);
  return frame;
}

std::optional<std::uint32_t> DecodeStartNotice(const std::string& frame) {
  if (frame.size() != 8) return std::nullopt;
  Reader reader(frame);
  return reader.U32();
}

std::size_t CompleteFrameLength(const std::string& buffer) {
  if (buffer.size() < 4) return 0;
  std::uint32_t length = 0;
  std::memcpy(&length, buffer.data(), 4);
  return buffer.size() - 4 >= length ? 4 + std::size_t{length} : 0;
}

std::optional<std::pair<std::uint32_t, JobOutcome>> DecodeFrame(const std::string& frame) {
  Reader reader(frame);
  JobOutcome outcome;
  const std::uint32_t index = reader.U32();
  outcome.result.success = reader.U32() != 0;
  outcome.duration_seconds = reader.Double();
  outcome.result.message = reader.Text();
  outcome.failure.subject = reader.Text();
  outcome.failure.body = reader.Text();
  outcome.recovery.subject = reader.Text();
  outcome.recovery.body = reader.Text();
  const std::uint32_t count = reader.U32();
  for (std::uint32_t i = 0; reader.ok() && i < count && i < kMaxMeasurements; ++i) {
    Measurement measurement;
    measurement.label = reader.Text();
    measurement.value = reader.Double();
    for (std::string* text :
         {&measurement.unit, &measurement.warning, &measurement.critical, &measurement.min, &measurement.max}) {
      *text = reader.Text();
    }
    outcome.result.measurements.push_back(std::move(measurement));
  }
  if (!reader.ok()) return std::nullopt;
  return std::make_pair(index, std::move(outcome));
}

}  // namespace checker
