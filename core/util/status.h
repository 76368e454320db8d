// Status and Result<T>: how a fallible operation reports at a module boundary.
//
// A Status is either ok or an error message written for an operator (it
// names the file, host or key at fault, never a password). Result<T> is a
// value or such an error. Configuration problems are not reported this way:
// they are collected in Diagnostics and reported together. Exceptions stay
// inside a module: the state store throws StateError within a transaction so
// that the transaction unwinds, and its callers turn it into a Status.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace checker {

class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_; }
  // The error; empty when ok.
  const std::string& message() const {
    static const std::string kNone;
    return message_ ? *message_ : kNone;
  }

 private:
  Status() = default;
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)), status_(Status::Ok()) {}  // NOLINT: implicit on purpose
  Result(Status error) : status_(std::move(error)) {}                   // NOLINT: must not be ok

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const std::string& error() const { return status_.message(); }

  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace checker
