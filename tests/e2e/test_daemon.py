"""The daemon and the peer protocol."""
import http.server
import json
import os
import socket
import threading
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from checker_harness import CHECKER, CheckerTestCase, free_port, wait_until


class DaemonTest(CheckerTestCase):
    def start_daemon(self, key="", read_key=""):
        self.port = free_port()
        self.write_config("""
            [daemon]
            listen = 127.0.0.1:%d
            key = %s
            read_key = %s
            [heartbeat:backups]
            period = 1h
            [counter:c]
            file = /dev/null
            """ % (self.port, key, read_key))
        self.daemon = self.start_process([CHECKER, "-f", self.config, "-m", "daemon"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_until(lambda: self.get("/") is not None, timeout=10), "daemon did not start")

    def get(self, path, method="GET", data=None, headers=None):
        try:
            request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), method=method, data=data,
                                             headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return None

    def test_root_answers_job_problem_until_a_tick_finished_then_true(self):
        self.start_daemon()
        self.assertEqual(self.get("/"), (200, "JobProblem"))
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)
        self.assertEqual(self.get("/"), (200, "True"))
        with self.db() as conn:
            conn.execute("UPDATE ticks SET finished = finished - 121")
        self.assertEqual(self.get("/"), (200, "JobProblem"))

    def test_root_answers_mail_problem_when_the_last_delivery_failed(self):
        self.start_daemon()
        self.tick("minute", "--nomail")
        with self.db() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('mail_delivery_ok', '0')")
        self.assertEqual(self.get("/"), (200, "MailProblem"))
        with self.db() as conn:
            conn.execute("UPDATE ticks SET finished = finished - 121")
        self.assertEqual(self.get("/"), (200, "JobProblem"), "JobProblem wins when both apply")

    def test_status_json_and_metrics(self):
        self.start_daemon()
        self.tick("minute", "--nomail")
        status, body = self.get("/status.json")
        self.assertEqual(status, 200)
        document = json.loads(body)
        self.assertEqual(document["server"], "testhost")
        self.assertEqual({job["name"] for job in document["jobs"]}, {"heartbeat:backups", "counter:c"})
        status, metrics = self.get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn('checker_check_up{check="counter:c",plugin="counter"} 1', metrics)
        self.assertIn('checker_tick_last_timestamp_seconds{frequency="minute"} ', metrics)

    def test_ping_records_a_check_in_and_a_failure(self):
        self.start_daemon()
        self.assertEqual(self.get("/ping/backups"), (200, "OK\n"))
        self.assertEqual(self.get("/ping/heartbeat:backups", method="POST", data=b""), (200, "OK\n"))
        self.assertEqual(self.get("/ping/backups/fail", method="POST", data=b"tape jammed")[0], 200)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 1)
        self.assertIn("tape jammed", self.status()["heartbeat:backups"]["message"])
        self.assertEqual(self.get("/ping/nosuch")[0], 404)
        self.assertEqual(self.get("/ping/c")[0], 404, "only heartbeats take check-ins")

    def test_a_post_without_a_body_or_content_length_is_a_check_in_at_once(self):
        self.start_daemon()
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            connection.sendall(b"POST /ping/backups HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = connection.recv(4096)
        self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer)
        self.assertLess(time.monotonic() - started, 2)
        with self.db() as conn:
            self.assertIsNotNone(conn.execute("SELECT last_checkin FROM jobs WHERE key = 'heartbeat:backups'").fetchone()[0])

    def test_a_heartbeat_added_after_the_daemon_started_can_check_in(self):
        self.start_daemon()
        with open(self.config, "a") as f:
            f.write("[heartbeat:newcomer]\nperiod = 1h\n")
        self.assertEqual(self.get("/ping/newcomer"), (200, "OK\n"))
        self.assertEqual(self.get("/ping/stranger")[0], 404)
        with self.db() as conn:
            self.assertIsNotNone(
                conn.execute("SELECT last_checkin FROM jobs WHERE key = 'heartbeat:newcomer'").fetchone()[0])

    def test_with_a_key_a_check_in_without_it_is_refused(self):
        self.start_daemon(key="s3cret")
        self.assertEqual(self.get("/ping/backups")[0], 403)
        self.assertEqual(self.get("/ping/backups?key=wrong")[0], 403)
        self.assertEqual(self.get("/ping/backups?key=s3cret"), (200, "OK\n"))

    def test_the_daemon_stops_on_sigterm(self):
        self.start_daemon()
        self.daemon.terminate()
        self.assertEqual(self.daemon.wait(timeout=10), 0)

    def test_a_port_in_use_is_a_clear_error(self):
        self.start_daemon()
        second = subprocess.run([CHECKER, "-f", self.config, "-m", "daemon"], capture_output=True, text=True,
                                timeout=30)
        self.assertEqual(second.returncode, 2)
        self.assertIn("cannot listen on 127.0.0.1:%d" % self.port, second.stderr)

    def test_with_a_read_key_status_and_metrics_need_it_and_root_stays_open(self):
        self.start_daemon(read_key="r3ad")
        for path in ("/status.json", "/metrics"):
            self.assertEqual(self.get(path)[0], 401, path)
            self.assertEqual(self.get(path + "?key=wrong")[0], 401, path)
            self.assertEqual(self.get(path, headers={"Authorization": "Bearer wrong"})[0], 401, path)
            self.assertEqual(self.get(path + "?key=r3ad")[0], 200, path)
            self.assertEqual(self.get(path, headers={"Authorization": "Bearer r3ad"})[0], 200, path)
        self.assertEqual(self.get("/"), (200, "JobProblem"))

    def answer_time_of_root(self):
        start = time.monotonic()
        answer = self.get("/")
        return answer, time.monotonic() - start

    def test_root_answers_within_a_second_while_many_slow_clients_hold_connections(self):
        self.start_daemon()
        slow = []
        try:
            # Slow headers, a slow chunked body and a huge declared body, 300 connections.
            openings = [b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ",
                        b"POST /ping/backups HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n",
                        b"POST /ping/backups HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"]
            for i in range(300):
                client = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                client.sendall(openings[i % 3])
                slow.append(client)
            started = time.monotonic()
            worst = 0.0
            while time.monotonic() - started < 4:
                for client in slow:
                    try:
                        client.send(b"a")
                    except OSError:
                        pass
                answer, seconds = self.answer_time_of_root()
                self.assertEqual(answer, (200, "JobProblem"))
                worst = max(worst, seconds)
                time.sleep(0.5)
            self.assertLess(worst, 1.0)
            # The whole request is bounded in time: the slow ones are cut off.
            probe = slow[0]
            probe.settimeout(1)
            deadline = time.monotonic() + 15
            closed = False
            while not closed and time.monotonic() < deadline:
                try:
                    probe.send(b"a")
                    closed = probe.recv(4096) == b""
                except socket.timeout:
                    continue
                except OSError:
                    closed = True
            self.assertTrue(closed, "a client sending a byte at a time was never cut off")
        finally:
            for client in slow:
                client.close()

    def test_a_huge_content_length_is_refused_at_once(self):
        self.start_daemon()
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as client:
            client.sendall(b"POST /ping/backups HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
            self.assertIn(b" 413 ", client.recv(4096))


class AnswerHandler(http.server.BaseHTTPRequestHandler):
    answer = "True"

    def do_GET(self):
        if self.answer == "hang":
            time.sleep(8)
            return
        body = self.answer.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class PeerTest(CheckerTestCase):
    """The peer plugin against a fake peer that answers what the test says."""

    def setUp(self):
        super().setUp()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AnswerHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.write_config("""
            [peers]
            peer1 = http://127.0.0.1:%d/,admin@peer.example
            """ % self.server.server_address[1])

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        super().tearDown()

    def answer(self, text):
        AnswerHandler.answer = text
        return self.checker("-m", "run", "--job", "peer:peer1", timeout=30)

    def test_peer_jobs_are_hourly_and_named_after_their_key(self):
        listing = self.checker("-m", "list").stdout
        row = [line.split() for line in listing.splitlines() if line.startswith("peer:peer1")][0]
        self.assertEqual(row[:3], ["peer:peer1", "peer", "hour"])

    def test_true_succeeds_and_problems_fail(self):
        self.assertEqual(self.answer("True").returncode, 0)
        mail = self.answer("MailProblem")
        self.assertEqual(mail.returncode, 1)
        self.assertIn("reports MailProblem", mail.stdout)
        self.assertIn("reports JobProblem", self.answer("JobProblem").stdout)
        self.assertIn("unexpected answer", self.answer("Maybe").stdout)

    def test_no_answer_within_5_seconds_fails(self):
        started = time.monotonic()
        result = self.answer("hang")
        self.assertEqual(result.returncode, 1)
        self.assertIn("timed out after 5 s", result.stdout)
        self.assertLess(time.monotonic() - started, 8)

    def test_the_peers_admin_hears_of_it_and_of_the_recovery(self):
        AnswerHandler.answer = "JobProblem"
        failing = self.tick("hour", "--nomail")
        self.assertIn("To: admin@peer.example", failing.stdout)
        self.assertIn("peer notification for peer:peer1", failing.stdout)
        AnswerHandler.answer = "True"
        recovered = self.tick("hour", "--nomail")
        self.assertIn("recovery notification for peer:peer1", recovered.stdout)

    def test_two_checkers_watch_each_other(self):
        port = free_port()
        other = os.path.join(self.dir, "other")
        os.mkdir(other)
        with open(os.path.join(other, "settings.cfg"), "w") as f:
            f.write("[general]\nservername = other\nalertcontact = a@b\nstatefile = %s/state.db\n"
                    "[email]\nnomail = true\n[daemon]\nlisten = 127.0.0.1:%d\n" % (other, port))
        subprocess.run([CHECKER, "-f", other + "/settings.cfg", "-m", "cron", "-c", "minute"], check=True,
                       timeout=30)
        self.start_process([CHECKER, "-f", other + "/settings.cfg", "-m", "daemon"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        self.write_config("""
            [peers]
            other = http://127.0.0.1:%d,admin@other.example
            """ % port)
        self.assertTrue(wait_until(lambda: self.checker("-m", "run", "--job", "peer:other").returncode == 0,
                                   timeout=10))


if __name__ == "__main__":
    unittest.main()
