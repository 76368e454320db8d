#include "network/connection_limits.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <string>

namespace checker {
namespace {

constexpr auto kIdleThreadLifetime = std::chrono::seconds(30);
constexpr auto kSweepInterval = std::chrono::milliseconds(250);

// The local port of a connected (not listening) TCP socket, else -1.
int ConnectedLocalPort(int fd) {
  int listening = 0;
  socklen_t length = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || listening) return -1;
  sockaddr_storage address{};
  socklen_t address_length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) return -1;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return -1;
}

}  // namespace

GrowingTaskQueue::~GrowingTaskQueue() { shutdown(); }

void GrowingTaskQueue::enqueue(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.push_back(std::move(task));
  if (idle_ < tasks_.size() && threads_ < most_) {
    ++threads_;
    std::thread([this] { Work(); }).detach();
  } else {
    wakeup_.notify_one();
  }
}

void GrowingTaskQueue::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  shutting_down_ = true;
  wakeup_.notify_all();
  ended_.wait(lock, [this] { return threads_ == 0; });
}

void GrowingTaskQueue::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    const bool woken =
        wakeup_.wait_for(lock, kIdleThreadLifetime, [this] { return !tasks_.empty() || shutting_down_; });
    --idle_;
    if (tasks_.empty() && (shutting_down_ || (!woken && threads_ > resident_))) break;
    if (tasks_.empty()) continue;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
  --threads_;
  ended_.notify_all();
}

ConnectionDeadline::ConnectionDeadline(int port, std::chrono::milliseconds deadline)
    : port_(port), deadline_(deadline), watcher_([this] { Watch(); }) {}

ConnectionDeadline::~ConnectionDeadline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  watcher_.join();
}

void ConnectionDeadline::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wakeup_.wait_for(lock, kSweepInterval, [this] { return stopping_; })) Sweep();
}

void ConnectionDeadline::Sweep() {
  DIR* descriptors = opendir("/proc/self/fd");
  if (!descriptors) return;
  const auto now = std::chrono::steady_clock::now();
  std::set<int> present;
  while (dirent* entry = readdir(descriptors)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || end == entry->d_name || fd == dirfd(descriptors)) continue;
    struct stat info {};
    if (fstat(static_cast<int>(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    if (ConnectedLocalPort(static_cast<int>(fd)) != port_) continue;
    present.insert(static_cast<int>(fd));
    auto [known, added] = seen_.try_emplace(static_cast<int>(fd), info.st_ino, now);
    if (!added && known->second.first != info.st_ino) known->second = {info.st_ino, now};  // a new connection
    if (now - known->second.second > deadline_) {
      // Wakes the thread that waits on it; that thread closes it.
      shutdown(static_cast<int>(fd), SHUT_RDWR);
    }
  }
  closedir(descriptors);
  for (auto it = seen_.begin(); it != seen_.end();) it = present.count(it->first) ? std::next(it) : seen_.erase(it);
}

}  // namespace checker
