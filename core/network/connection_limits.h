// ConnectionLimits: what keeps slow or hostile clients from taking the daemon
// off the air.
//
// cpp-httplib gives each connection a thread and bounds each read, not a
// whole request, so a client that sends a byte every few seconds would hold
// its thread for hours. Two parts bound that:
//   - GrowingTaskQueue runs each connection at once on a thread of its own
//     (up to a cap), so a peer's `GET /` never waits behind slow clients;
//   - ConnectionDeadline shuts down every connection to the listening port
//     that has been open longer than the deadline, headers, body and answer
//     included, which frees its thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace checker {

class GrowingTaskQueue : public httplib::TaskQueue {
 public:
  // Keeps `resident` threads; starts more, up to `most`, while every thread
  // is busy; a thread above `resident` ends after a while without work.
  GrowingTaskQueue(std::size_t resident, std::size_t most) : resident_(resident), most_(most) {}
  ~GrowingTaskQueue() override;

  void enqueue(std::function<void()> task) override;
  void shutdown() override;

 private:
  void Work();

  const std::size_t resident_;
  const std::size_t most_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::condition_variable ended_;
  std::deque<std::function<void()>> tasks_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool shutting_down_ = false;
};

class ConnectionDeadline {
 public:
  // Watches the connections accepted on `port` from a thread of its own.
  ConnectionDeadline(int port, std::chrono::milliseconds deadline);
  ~ConnectionDeadline();
  ConnectionDeadline(const ConnectionDeadline&) = delete;
  ConnectionDeadline& operator=(const ConnectionDeadline&) = delete;

 private:
  void Watch();
  void Sweep();

  const int port_;
  const std::chrono::milliseconds deadline_;
  // Each connection's descriptor: its socket's inode and when it was first seen.
  std::map<int, std::pair<unsigned long, std::chrono::steady_clock::time_point>> seen_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace checker
