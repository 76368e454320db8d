// FakeClock: a Clock that stands still until a test moves it.
#pragma once

#include "util/clock.h"

namespace checker {

class FakeClock : public Clock {
 public:
  explicit FakeClock(UnixTime start) : now_(start) {}
  UnixTime Now() const override { return now_; }
  void Advance(UnixTime seconds) { now_ += seconds; }
  void Set(UnixTime time) { now_ = time; }

 private:
  UnixTime now_;
};

}  // namespace checker
