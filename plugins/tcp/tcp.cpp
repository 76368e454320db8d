// The tcp plugin: [tcp:NAME] host, port (and the common keys). Succeeds when a
// TCP connection to host:port opens within the job's timeout.
#include <arpa/inet.h>
#include <checker/plugin.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace {

using Clock = std::chrono::steady_clock;

// Empty on success, else what went wrong.
std::string TryConnect(const addrinfo& address, Clock::time_point deadline) {
  int fd = socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0) return std::strerror(errno);
  std::string error;
  if (connect(fd, address.ai_addr, address.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      error = std::strerror(errno);
    } else {
      pollfd waiting{fd, POLLOUT, 0};
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      int ready = left > 0 ? poll(&waiting, 1, static_cast<int>(left)) : 0;
      if (ready == 0) {
        error = "timed out";
      } else {
        int socket_error = 0;
        socklen_t length = sizeof socket_error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
        if (ready < 0)
          error = std::strerror(errno);
        else if (socket_error != 0)
          error = std::strerror(socket_error);
      }
    }
  }
  close(fd);
  return error;
}

class TcpJob : public checker::JobBase {
 public:
  TcpJob(std::string name, std::string host, int port) : name_(std::move(name)), host_(std::move(host)), port_(port) {}

  std::string Name() const override { return "tcp:" + name_; }

  checker::JobResult Execute(const checker::RunContext& context) override {
    const std::string target = host_ + ":" + std::to_string(port_);
    const auto deadline = Clock::now() + std::chrono::seconds(context.timeout_seconds);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    int rc = getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &addresses);
    if (rc != 0) return {false, "could not resolve host " + host_ + ": " + gai_strerror(rc)};
    std::string error = "no address";
    for (addrinfo* address = addresses; address; address = address->ai_next) {
      error = TryConnect(*address, deadline);
      if (error.empty()) break;
    }
    freeaddrinfo(addresses);
    if (error == "timed out") {
      return {false, "connection to " + target + " timed out after " + std::to_string(context.timeout_seconds) + " s"};
    }
    if (!error.empty()) return {false, "cannot connect to " + target + ": " + error};
    return {true, "connected to " + target};
  }

 private:
  std::string name_;
  std::string host_;
  int port_;
};

class TcpSpawner : public checker::InstanceSpawner {
  std::unique_ptr<checker::JobBase> MakeJob(checker::InstanceConfig& section) override {
    std::string host = section.RequiredString("host");
    int port = static_cast<int>(section.Integer("port", 0, 1, 65535));
    if (!section.Has("port")) section.Error("port", "is required");
    return std::make_unique<TcpJob>(section.instance(), host, port);
  }
};

}  // namespace

CHECKER_EXPORT_SPAWNER(TcpSpawner)
