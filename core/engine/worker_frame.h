// The frames a worker sends its parent: for each job it ran, the job's index
// and its JobOutcome, and a start notice when it starts one; length-prefixed so that the parent can tell a whole
// frame from a partial read. Text fields are capped here, so a job cannot
// flood the parent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/job_outcome.h"

namespace checker {

constexpr std::size_t kMaxMessageBytes = 4096;            // a result's message, a subject
constexpr std::size_t kMaxNotificationBytes = 64 * 1024;  // a notification's body
constexpr std::size_t kMaxMeasurements = 256;

std::string EncodeFrame(std::uint32_t index, const JobOutcome& outcome);

// The notice a worker sends when it starts a job: a frame of the index
// alone, shorter than any outcome's frame.
std::string EncodeStartNotice(std::uint32_t index);
// The index of a whole frame that is a start notice; nothing for any other frame.
std::optional<std::uint32_t> DecodeStartNotice(const std::string& frame);

// The length of the frame at the start of `buffer` once it is all there, else 0.
std::size_t CompleteFrameLength(const std::string& buffer);

// The index and outcome of one whole frame; nothing when it is malformed.
std::optional<std::pair<std::uint32_t, JobOutcome>> DecodeFrame(const std::string& frame);

}  // namespace checker
