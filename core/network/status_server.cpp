#include "network/status_server.h"

#include <httplib.h>
#include <netdb.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/dll/alias.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/checkins.h"
#include "network/connection_limits.h"
#include "report/health.h"
#include "report/metrics.h"
#include "report/metrics_collector.h"
#include "report/status_page.h"
#include "report/status_report.h"
#include "state/state_reader_pool.h"
#include "state/state_store.h"
#include "util/text.h"

namespace checker {
namespace {

// Request bodies are read at most this far (a check-in keeps less of it).
constexpr std::size_t kMaxRequestBody = 16 * 1024 * 1024;
constexpr auto kConfigCheckInterval = std::chrono::seconds(2);
// A whole request (headers, body, answer) on one connection takes at most this.
constexpr auto kConnectionDeadline = std::chrono::seconds(10);
// Threads for connections: always ready, and at most (slow clients beyond
// that wait in the queue until the deadline frees a thread).
constexpr std::size_t kResidentThreads = 8;
constexpr std::size_t kRequestsPerConnection = 1000;
constexpr std::size_t kMostThreads = 2048;
constexpr int kListenBacklog = 4096;

// Compares without an early exit, so the time taken does not tell how much of a key matched.
bool ConstantTimeEquals(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  }
  return difference == 0;
}

// Whether a read endpoint may answer: always without a read_key, else with
// ?key=K or "Authorization: Bearer K".
bool MayRead(const httplib::Request& request, const std::string& read_key) {
  if (read_key.empty()) return true;
  if (request.has_param("key")) return ConstantTimeEquals(request.get_param_value("key"), read_key);
  const std::string authorization = request.get_header_value("Authorization");
  const std::string bearer = "Bearer ";
  return authorization.compare(0, bearer.size(), bearer) == 0 &&
         ConstantTimeEquals(authorization.substr(bearer.size()), read_key);
}

// The configuration being served, replaced when settings.cfg changes.
class ServedConfiguration {
 public:
  ServedConfiguration(std::shared_ptr<const LoadedConfiguration> initial, const ConfigurationLoader& reload,
                      Logger& logger)
      : current_(std::move(initial)), reload_(reload), logger_(logger), stamp_(Stamp(current_->config.path)) {}

  std::shared_ptr<const LoadedConfiguration> Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return current_;
  }

  // Loads settings.cfg again when it changed since the last load, or always
  // with `force`. A file with errors is logged and not served.
  void Refresh(bool force) {
    std::lock_guard<std::mutex> reloading(reload_mutex_);
    const std::string path = Get()->config.path;
    const std::string stamp = Stamp(path);
    if (!force && stamp == stamp_) return;
    stamp_ = stamp;
    std::shared_ptr<const LoadedConfiguration> loaded = reload_();
    if (!loaded->diagnostics.ok()) {
      for (const auto& error : loaded->diagnostics.errors) logger_.Error(error);
      logger_.Error("daemon: " + path + " has errors; still serving the configuration loaded before");
      return;
    }
    logger_.Info("daemon: loaded " + path + " again (" + std::to_string(loaded->catalog.jobs().size()) + " jobs)");
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = std::move(loaded);
  }

 private:
  // What tells that the file changed: its inode, size and modification time.
  static std::string Stamp(const std::string& path) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return "";
    return std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
           std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
  }

  std::mutex mutex_;
  std::mutex reload_mutex_;
  std::shared_ptr<const LoadedConfiguration> current_;
  const ConfigurationLoader& reload_;
  Logger& logger_;
  std::string stamp_;
};

// The last answer of a route that reads only the configuration, the state
// file and the clock (GET /, /status.json), served again while nothing it is
// made of has changed: the configuration, the state file (the same file, and
// no commit to it since, by its data version on a connection kept for that)
// and the second (a pause may end at any second). Rendering a thousand jobs
// costs milliseconds, and GET / asks three questions; asking for the data
// version costs microseconds.
class AnswerCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  Body Get(const std::shared_ptr<const LoadedConfiguration>& current, UnixTime now,
           const std::function<std::string()>& render) {
    Key key{current, now, 0, 0, -1};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto probe = probe_.Borrow(current->config.general.statefile)) {
        key.device = probe.device();
        key.inode = probe.inode();
        key.data_version = probe->DataVersion();
      }
      if (body_ && key == key_) return body_;
    }
    // Rendered outside the lock, so that requests after a change render side
    // by side; a commit during the render only makes the next request render again.
    Body body = std::make_shared<const std::string>(render());
    std::lock_guard<std::mutex> lock(mutex_);
    key_ = std::move(key);
    body_ = body;
    return body;
  }

 private:
  struct Key {
    std::shared_ptr<const LoadedConfiguration> configuration;  // held, so that its address stays unique
    UnixTime now;
    dev_t device;
    ino_t inode;
    std::int64_t data_version;
    bool operator==(const Key& other) const {
      return configuration == other.configuration && now == other.now && device == other.device &&
             inode == other.inode && data_version == other.data_version;
    }
  };

  std::mutex mutex_;
  StateReaderPool probe_;  // one connection, used under mutex_, whose data version is compared
  Key key_{};
  Body body_;
};

std::string CannotListen(int error) {
  switch (error) {
    case EADDRINUSE:
      return "the address is in use (is another daemon running?)";
    case EACCES:
      return "permission denied (ports below 1024 need root)";
    case EADDRNOTAVAIL:
      return "no such address on this host";
    default:
      return std::strerror(error);
  }
}

// Whether this process may listen on host:port; httplib says only yes or no.
Status CheckCanListen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses); rc != 0) {
    return Status::Error(std::string("cannot resolve the address: ") + gai_strerror(rc));
  }
  int error = 0;
  const int fd = socket(addresses->ai_family, addresses->ai_socktype | SOCK_CLOEXEC, addresses->ai_protocol);
  if (fd < 0) {
    error = errno;
  } else {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, addresses->ai_addr, addresses->ai_addrlen) != 0) error = errno;
    close(fd);
  }
  freeaddrinfo(addresses);
  return error ? Status::Error(CannotListen(error)) : Status::Ok();
}

}  // namespace

int RunStatusServer(std::shared_ptr<const LoadedConfiguration> initial, const ConfigurationLoader& reload,
                    Logger& logger) {
  const DaemonConfig daemon = initial->config.daemon;
  const std::string where = initial->config.file.Where("daemon", "listen");
  ServedConfiguration served(std::move(initial), reload, logger);
  // What GET /, /status.json and /metrics read through: open connections.
  StateReaderPool readers;
  AnswerCache health_answer;
  AnswerCache status_json;

  httplib::Server server;
  server.set_payload_max_length(kMaxRequestBody);
  server.set_read_timeout(5);
  server.set_write_timeout(5);
  server.set_keep_alive_timeout(5);
  // A client that keeps its connection asks again without a new handshake
  // and a new thread (httplib's default closes after 5 requests); the
  // connection deadline still ends every connection after 10 s.
  server.set_keep_alive_max_count(kRequestsPerConnection);
  server.set_tcp_nodelay(true);
  server.new_task_queue = [] { return new GrowingTaskQueue(kResidentThreads, kMostThreads); };
  // httplib's default adds SO_REUSEPORT, which would let a second daemon share
  // the port silently; a port in use must be an error.
  int listening_socket = -1;
  server.set_socket_options([&listening_socket](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_socket = socket;
  });

  auto guarded = [&logger](auto handler) {
    return [&logger, handler](const httplib::Request& request, httplib::Response& response) {
      try {
        handler(request, response);
      } catch (const std::exception& error) {
        logger.Error("daemon: " + request.path + ": " + error.what());
        response.status = 500;
        response.set_content("error\n", "text/plain");
      }
    };
  };

  // A declared body larger than any request needs is refused before it is read.
  server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    const std::string length = request.get_header_value("Content-Length");
    if (length.size() < 10 && std::strtoull(length.c_str(), nullptr, 10) <= kMaxRequestBody) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    response.status = 413;
    response.set_header("Connection", "close");
    response.set_content("request body too large\n", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });
  const auto read_allowed = [&daemon](const httplib::Request& request, httplib::Response& response) {
    if (MayRead(request, daemon.read_key)) return true;
    response.status = 401;
    response.set_header("WWW-Authenticate", "Bearer");
    response.set_content("wrong or missing read_key (?key= or Authorization: Bearer)\n", "text/plain");
    return false;
  };
  server.Get("/", guarded([&](const httplib::Request&, httplib::Response& response) {
               auto current = served.Get();
               const UnixTime now = SystemClock().Now();
               auto body = health_answer.Get(current, now, [&] {
                 auto store = readers.Borrow(current->config.general.statefile);
                 return HealthAnswer(ReadHealthFacts(store.get(), current->catalog), now);
               });
               response.set_content(*body, "text/plain");
             }));
  server.Get("/status.json", guarded([&](const httplib::Request& request, httplib::Response& response) {
               if (!read_allowed(request, response)) return;
               auto current = served.Get();
               const UnixTime now = SystemClock().Now();
               auto body = status_json.Get(current, now, [&] {
                 auto store = readers.Borrow(current->config.general.statefile);
                 auto stored = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
                 return StatusJson(current->config.general.servername, CollectStatus(current->catalog, stored, now));
               });
               response.set_content(*body, "application/json");
             }));
  // The page for people: read like /status.json, and allowed nothing but its own style.
  server.Get("/status", guarded([&](const httplib::Request& request, httplib::Response& response) {
               if (!read_allowed(request, response)) return;
               auto current = served.Get();
               auto store = readers.Borrow(current->config.general.statefile);
               const StatusPageInput input = CollectStatusPage(current->config.general.servername, current->catalog,
                                                               store.get(), SystemClock().Now());
               response.set_header("Content-Security-Policy", kStatusPageSecurityPolicy);
               response.set_header("X-Content-Type-Options", "nosniff");
               response.set_content(StatusPageHtml(input), "text/html; charset=utf-8");
             }));
  server.Get("/metrics", guarded([&](const httplib::Request& request, httplib::Response& response) {
               if (!read_allowed(request, response)) return;
               auto current = served.Get();
               auto store = readers.Borrow(current->config.general.statefile);
               const MetricsInput input =
                   CollectMetrics(current->config, current->catalog, store.get(), SystemClock().Now());
               response.set_content(MetricsText(input), "text/plain; version=0.0.4; charset=utf-8");
             }));
  // A check-in; `body` is the POST body (empty for GET and HEAD).
  auto check_in = [&](const httplib::Request& request, httplib::Response& response, const std::string& body) {
    const std::string name = request.matches[1];
    const std::string given_key = request.has_header("X-Checker-Key") ? request.get_header_value("X-Checker-Key")
                                                                      : request.get_param_value("key");
    if (!daemon.key.empty() && !ConstantTimeEquals(given_key, daemon.key)) {
      logger.Warning("daemon: check-in for " + OneLine(Shorten(name, 100)) + " from " + request.remote_addr +
                     " refused: wrong or missing key");
      response.status = 403;
      response.set_content("wrong or missing key\n", "text/plain");
      return;
    }
    const std::string message = request.has_param("message") ? request.get_param_value("message") : body;
    const std::optional<Checkin> checkin = CheckinFromPath(request.matches[2], SystemClock().Now(), message);
    auto current = served.Get();
    const Job* job = checkin ? current->catalog.FindCheckinJob(name) : nullptr;
    if (checkin && !job) {
      // It may have been added to settings.cfg a moment ago.
      served.Refresh(false);
      current = served.Get();
      job = current->catalog.FindCheckinJob(name);
    }
    if (!job) {
      response.status = 404;
      response.set_content(checkin ? "no heartbeat named " + name + "\n" : "not a check-in\n", "text/plain");
      return;
    }
    auto store = StateStore::Open(current->config.general.statefile, StateStore::Mode::kCreate);
    RecordCheckin(*store, *job, *checkin);
    logger.Info("daemon: " + CheckinKindName(*checkin) + " check-in for " + job->name + " from " + request.remote_addr);
    response.set_content("OK\n", "text/plain");
  };
  // /ping/NAME, and /fail, /start, /log or an exit status 0-255 after it.
  const char* kPingPattern = R"(/ping/([^/]+)(?:/([^/]*))?)";
  server.Get(kPingPattern, guarded([&](const httplib::Request& request, httplib::Response& response) {
               check_in(request, response, "");
             }));
  // `curl -X POST` sends no Content-Length: such a request has no body, and
  // must not wait for one. Read the body only when the request declares it.
  // The first kMaxCheckinMessageBytes are kept; the rest is read and
  // dropped, and the check-in counts all the same. A multipart or form body
  // is taken as its text.
  server.Post(kPingPattern, [&](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& read_body) {
    std::string body;
    const auto keep = [&body](const char* data, std::size_t length) {
      body.append(data, std::min(length, kMaxCheckinMessageBytes - std::min(body.size(), kMaxCheckinMessageBytes)));
      return true;
    };
    if (request.has_header("Content-Length") || request.has_header("Transfer-Encoding")) {
      if (request.is_multipart_form_data()) {
        read_body(
            [&body](const httplib::MultipartFormData& part) {
              if (!body.empty()) body += "\n";
              if (!part.name.empty()) body += part.name + ": ";
              return true;
            },
            keep);
      } else {
        read_body(keep);
      }
    }
    guarded([&](const httplib::Request& r, httplib::Response& out) { check_in(r, out, body); })(request, response);
  });

  // SIGTERM and SIGINT stop the server, SIGHUP reloads the configuration and
  // reopens the log, from a thread that waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::atomic<bool> stopping{false};
  std::thread signal_waiter([&] {
    for (;;) {
      int received = 0;
      sigwait(&signals, &received);
      if (received == SIGHUP && !stopping) {
        logger.Reopen();
        served.Refresh(true);
        continue;
      }
      stopping = true;
      server.stop();
      return;
    }
  });
  std::mutex watch_mutex;
  std::condition_variable watch_wakeup;
  std::thread config_watcher([&] {
    std::unique_lock<std::mutex> lock(watch_mutex);
    while (!watch_wakeup.wait_for(lock, kConfigCheckInterval, [&] { return stopping.load(); })) {
      served.Refresh(false);
    }
  });
  const auto stop_threads = [&] {
    if (!stopping) pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    {
      std::lock_guard<std::mutex> lock(watch_mutex);
      stopping = true;
    }
    watch_wakeup.notify_all();
    config_watcher.join();
  };

  if (Status can_listen = CheckCanListen(daemon.host, daemon.port);
      !can_listen.ok() || !server.bind_to_port(daemon.host, daemon.port)) {
    logger.Error(where + ": cannot listen on " + daemon.listen + ": " +
                 (can_listen.ok() ? "the address is in use" : can_listen.message()));
    stop_threads();
    return 2;
  }
  // httplib listens with a backlog of 5; a burst of clients must not have
  // a peer's connection dropped.
  if (listening_socket >= 0) listen(listening_socket, kListenBacklog);
  std::optional<ConnectionDeadline> deadline;
  deadline.emplace(daemon.port, kConnectionDeadline);
  logger.Info("daemon listening on " + daemon.listen);
  server.listen_after_bind();
  deadline.reset();
  stop_threads();
  logger.Info("daemon stopped");
  return 0;
}

}  // namespace checker

BOOST_DLL_ALIAS(checker::RunStatusServer, checker_run_status_server)
