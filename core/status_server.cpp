#include "status_server.h"

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "state_store.h"
#include "status_report.h"

namespace checker {
namespace {

constexpr UnixTime kTickFreshSeconds = 120;
constexpr std::size_t kMaxRequestBody = 4096;
constexpr std::size_t kMaxCheckinMessage = 1000;

// Compares without an early exit, so the time taken does not tell how much of a key matched.
bool ConstantTimeEquals(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  }
  return difference == 0;
}

std::string PrometheusLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// The daemon reads settings.cfg once; a heartbeat added since then can check
// in all the same (the next tick runs it), without a restart of the daemon.
bool HeartbeatAddedSinceStart(const std::string& config_path, const std::string& name) {
  if (name.compare(0, 10, "heartbeat:") != 0) return false;
  std::vector<std::string> ignored;
  SettingsFile file = SettingsFile::Parse(config_path, ignored);
  return file.FindSection(name) != nullptr;
}

std::unique_ptr<StateStore> OpenIfPresent(const std::string& statefile) {
  if (access(statefile.c_str(), F_OK) != 0) return nullptr;
  return StateStore::Open(statefile, StateStore::Mode::kReadOnly);
}

}  // namespace

bool ParseListen(const std::string& listen, std::string& host, int& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string digits = listen.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(digits);
  return port > 0 && port < 65536;
}

std::string HealthAnswer(const std::string& statefile, UnixTime now) {
  auto store = OpenIfPresent(statefile);
  if (!store) return "JobProblem";
  auto finished = store->LastTickFinish();
  if (!finished || now - *finished > kTickFreshSeconds) return "JobProblem";
  if (store->GetMeta("mail_delivery_ok") == std::optional<std::string>("0")) return "MailProblem";
  auto roundtrip = store->LoadJob("email:roundtrip");
  if (roundtrip && roundtrip->history.failing) return "MailProblem";
  return "True";
}

std::string MetricsText(const JobCatalog& catalog, const std::string& statefile, UnixTime now) {
  auto store = OpenIfPresent(statefile);
  std::vector<StoredJob> stored = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
  std::ostringstream out;
  out << "# HELP checker_job_failing 1 while the job's last run failed.\n# TYPE checker_job_failing gauge\n";
  auto statuses = CollectStatus(catalog, stored, now);
  for (const auto& job : statuses) {
    out << "checker_job_failing{job=\"" << PrometheusLabel(job.name) << "\"} " << (job.state == "failing") << "\n";
  }
  out << "# HELP checker_job_failures_in_a_row Failures in a row of the job.\n"
         "# TYPE checker_job_failures_in_a_row gauge\n";
  for (const auto& job : statuses) {
    out << "checker_job_failures_in_a_row{job=\"" << PrometheusLabel(job.name) << "\"} " << job.failures << "\n";
  }
  out << "# HELP checker_job_last_run_timestamp_seconds When the job last ran.\n"
         "# TYPE checker_job_last_run_timestamp_seconds gauge\n";
  for (const auto& job : statuses) {
    if (job.last_run) {
      out << "checker_job_last_run_timestamp_seconds{job=\"" << PrometheusLabel(job.name) << "\"} " << *job.last_run
          << "\n";
    }
  }
  if (store) {
    if (auto finished = store->LastTickFinish()) {
      out << "# HELP checker_last_tick_timestamp_seconds When the last cron tick finished.\n"
             "# TYPE checker_last_tick_timestamp_seconds gauge\n"
          << "checker_last_tick_timestamp_seconds " << *finished << "\n";
    }
    out << "# HELP checker_outbox_queued Notifications waiting to be delivered.\n"
           "# TYPE checker_outbox_queued gauge\nchecker_outbox_queued "
        << store->CountQueued() << "\n";
  }
  return out.str();
}

int RunStatusServer(const Config& config, const JobCatalog& catalog, Logger& logger) {
  std::string host;
  int port = 0;
  if (!ParseListen(config.daemon_listen, host, port)) {
    logger.Error(config.file.Where("daemon", "listen") + ": must be HOST:PORT, not '" + config.daemon_listen + "'");
    return 2;
  }
  const std::string statefile = config.general.statefile;
  httplib::Server server;
  server.set_payload_max_length(kMaxRequestBody);
  server.set_read_timeout(5);
  server.set_write_timeout(5);
  server.set_keep_alive_timeout(5);
  // httplib's default adds SO_REUSEPORT, which would let a second daemon share
  // the port silently; a port in use must be an error.
  server.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
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

  server.Get("/", guarded([&](const httplib::Request&, httplib::Response& response) {
               response.set_content(HealthAnswer(statefile, SystemClock().Now()), "text/plain");
             }));
  server.Get("/status.json", guarded([&](const httplib::Request&, httplib::Response& response) {
               auto store = OpenIfPresent(statefile);
               auto stored = store ? store->LoadAllJobs() : std::vector<StoredJob>{};
               auto statuses = CollectStatus(catalog, stored, SystemClock().Now());
               response.set_content(StatusJson(config.general.servername, statuses), "application/json");
             }));
  server.Get("/metrics", guarded([&](const httplib::Request&, httplib::Response& response) {
               response.set_content(MetricsText(catalog, statefile, SystemClock().Now()), "text/plain; version=0.0.4");
             }));
  // A check-in; `body` is the POST body (empty for GET).
  auto check_in = [&](const httplib::Request& request, httplib::Response& response, const std::string& body) {
    const std::string name = request.matches[1];
    const bool failed = request.matches[2].matched;
    if (!config.daemon_key.empty() && !ConstantTimeEquals(request.get_param_value("key"), config.daemon_key)) {
      response.status = 403;
      response.set_content("wrong or missing key\n", "text/plain");
      return;
    }
    const std::string full_name = name.find(':') == std::string::npos ? "heartbeat:" + name : name;
    const Job* job = catalog.Find(full_name);
    if ((!job || job->plugin != "heartbeat") && !HeartbeatAddedSinceStart(config.path, full_name)) {
      response.status = 404;
      response.set_content("no heartbeat named " + name + "\n", "text/plain");
      return;
    }
    std::string message = request.has_param("message") ? request.get_param_value("message") : body;
    if (message.size() > kMaxCheckinMessage) message.resize(kMaxCheckinMessage);
    auto store = StateStore::Open(statefile, StateStore::Mode::kCreate);
    StateStore::Transaction transaction(*store);
    store->RecordCheckin(job ? job->key : full_name, full_name, SystemClock().Now(), failed, message);
    transaction.Commit();
    logger.Info("daemon: " + std::string(failed ? "failure" : "check-in") + " for " + full_name + " from " +
                request.remote_addr);
    response.set_content(failed ? "failure recorded\n" : "OK\n", "text/plain");
  };
  const char* kPingPattern = R"(/ping/([^/]+?)(/fail)?)";
  server.Get(kPingPattern, guarded([&](const httplib::Request& request, httplib::Response& response) {
               check_in(request, response, "");
             }));
  // `curl -X POST` sends no Content-Length: such a request has no body, and
  // must not wait for one. Read the body only when the request declares it.
  server.Post(kPingPattern, [&](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& read_body) {
    std::string body;
    if (request.has_header("Content-Length") || request.has_header("Transfer-Encoding")) {
      read_body([&](const char* data, std::size_t length) {
        body.append(data, std::min(length, kMaxRequestBody - std::min(body.size(), kMaxRequestBody)));
        return true;
      });
    }
    guarded([&](const httplib::Request& r, httplib::Response& out) { check_in(r, out, body); })(request, response);
  });

  // SIGTERM and SIGINT stop the server from a thread that waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread stopper([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  });

  if (!server.bind_to_port(host, port)) {
    logger.Error(config.file.Where("daemon", "listen") + ": cannot listen on " + config.daemon_listen);
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    return 2;
  }
  logger.Info("daemon listening on " + config.daemon_listen);
  server.listen_after_bind();
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  logger.Info("daemon stopped");
  return 0;
}

}  // namespace checker
