"""Check-ins as cron users already send them: healthchecks.io-style URLs by
curl and wget, `checker -m ping` and `checker -m exec`, against the daemon and
the state file. No check-in is lost between two ticks."""
import os
import subprocess
import time
import unittest
import urllib.request

from checker_harness import CHECKER, CheckerTestCase, free_port, wait_until

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


class CheckinTestCase(CheckerTestCase):
    def configure(self, key="", extra=""):
        self.port = free_port()
        self.write_config("""
            [daemon]
            listen = 127.0.0.1:%d
            key = %s
            [heartbeat:backup]
            period = 1h
            %s
            """ % (self.port, key, extra))

    def start_daemon(self):
        self.daemon = self.start_process([CHECKER, "-f", self.config, "-m", "daemon"], stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        self.assertTrue(wait_until(lambda: self.answer("/") is not None, timeout=10), "daemon did not start")

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def answer(self, path):
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def checkins(self):
        with self.db() as conn:
            return conn.execute("SELECT kind, exit_status, message FROM checkins WHERE key = 'heartbeat:backup' "
                                "ORDER BY id").fetchall()

    def curl(self, *args):
        return subprocess.run(["curl"] + list(args), capture_output=True, text=True, timeout=30, cwd=self.dir)


class DaemonForms(CheckinTestCase):
    def test_the_healthchecks_idioms_run_literally(self):
        self.configure()
        self.start_daemon()
        log = os.path.join(self.dir, "backup.log")
        with open(log, "w") as f:
            f.write("dumped 3 databases\n")
        base = self.url("/ping/backup")
        self.assertEqual(self.curl("-fsS", "-m", "10", "--retry", "5", "-o", "/dev/null", base).returncode, 0)
        self.assertEqual(self.curl("-fsS", "-m", "10", "-o", "/dev/null", base + "/start").returncode, 0)
        self.assertEqual(self.curl("-fsS", "-m", "10", "--data-binary", "@" + log, base).returncode, 0)
        self.assertEqual(self.curl("-fsS", "-m", "10", "-F", "log=@" + log, base + "/fail").returncode, 0)
        status = subprocess.run("false; curl -fsS -m 10 -o /dev/null %s/$?" % base, shell=True, timeout=30).returncode
        self.assertEqual(status, 0)
        self.assertEqual(self.curl("-fsS", "-m", "10", "-o", "/dev/null", base + "/log", "-d", "note").returncode, 0)
        wget = subprocess.run(["wget", "-q", "-O", "/dev/null", "-T", "10", base], timeout=30)
        self.assertEqual(wget.returncode, 0)
        self.assertEqual(self.curl("-fsS", "-m", "10", "-I", base).returncode, 0)  # HEAD
        kinds = [(kind, status) for kind, status, _ in self.checkins()]
        self.assertEqual(kinds, [("success", -1), ("start", -1), ("success", -1), ("failure", -1), ("failure", 1),
                                 ("log", -1), ("success", -1), ("success", -1)])
        messages = [message for _, _, message in self.checkins()]
        self.assertEqual(messages[2], "dumped 3 databases\n")
        self.assertIn("dumped 3 databases", messages[3])
        self.assertEqual(messages[4], "exited with status 1")

    def test_a_long_body_is_kept_to_100_kb_and_still_counts(self):
        self.configure()
        self.start_daemon()
        body = os.path.join(self.dir, "big.log")
        with open(body, "w") as f:
            f.write("x" * 300000)
        result = self.curl("-fsS", "-m", "10", "--data-binary", "@" + body, self.url("/ping/backup"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(self.checkins()[0][2]), 100 * 1024)

    def test_the_key_goes_in_the_query_or_a_header_and_a_wrong_one_is_refused_and_logged(self):
        self.configure(key="s3cret")
        self.start_daemon()
        self.assertEqual(self.answer("/ping/backup"), 403)
        self.assertEqual(self.answer("/ping/backup?key=nope"), 403)
        self.assertEqual(self.answer("/ping/backup?key=s3cret"), 200)
        header = self.curl("-fsS", "-o", "/dev/null", "-H", "X-Checker-Key: s3cret", self.url("/ping/backup"))
        self.assertEqual(header.returncode, 0)
        self.assertEqual(len(self.checkins()), 2)
        self.assertTrue(wait_until(lambda: "wrong or missing key" in self.log(), timeout=5))

    def test_unknown_names_and_forms_are_404_and_create_nothing(self):
        self.configure()
        self.start_daemon()
        self.assertEqual(self.answer("/ping/stranger"), 404)
        self.assertEqual(self.answer("/ping/backup/256"), 404)
        self.assertEqual(self.answer("/ping/backup/whatever"), 404)
        if os.path.exists(self.statefile):
            with self.db() as conn:
                self.assertEqual(conn.execute("SELECT count(*) FROM jobs WHERE key LIKE '%stranger%'").fetchone()[0],
                                 0)


class NoCheckinLost(CheckinTestCase):
    def test_a_failure_followed_by_a_success_before_the_tick_still_fails_that_run(self):
        self.configure()
        self.assertEqual(self.tick().returncode, 0)
        self.assertEqual(self.checker("-m", "ping", "--job", "backup", "--fail", "--message", "disk full").returncode,
                         0)
        self.assertEqual(self.checker("-m", "ping", "--job", "backup").returncode, 0)
        failed = self.tick()
        self.assertEqual(failed.returncode, 1)
        self.assertIn("disk full", self.status()["heartbeat:backup"]["message"])
        self.assertEqual(self.tick().returncode, 0)
        self.assertEqual(self.status()["heartbeat:backup"]["state"], "succeeding")


class PingFlags(CheckinTestCase):
    def test_every_kind_and_message_source_is_quiet_on_success(self):
        self.configure()
        message = os.path.join(self.dir, "message.txt")
        with open(message, "w") as f:
            f.write("from a file")
        for args, stdin in ((["--start"], None), (["--exit-code", "3"], None), (["--log", "--message", "hi"], None),
                            (["--message-file", message], None), (["--message-file", "-"], "from stdin")):
            result = subprocess.run([CHECKER, "-f", self.config, "-m", "ping", "--job", "backup"] + args,
                                    input=stdin, capture_output=True, text=True, timeout=30)
            self.assertEqual((result.returncode, result.stdout, result.stderr), (0, "", ""), args)
        self.assertEqual(self.checkins(), [("start", -1, ""), ("failure", 3, "exited with status 3"), ("log", -1, "hi"),
                                           ("success", -1, "from a file"), ("success", -1, "from stdin")])
        self.assertEqual(self.checker("-m", "ping", "--job", "backup", "--exit-code", "300").returncode, 2)
        self.assertEqual(self.checker("-m", "ping", "--job", "backup", "--start", "--fail").returncode, 2)


class Exec(CheckinTestCase):
    def run_exec(self, *command, env=None):
        return subprocess.run([CHECKER, "-f", self.config, "-m", "exec", "--job", "backup", "--"] + list(command),
                              capture_output=True, text=True, timeout=60, env=env)

    def test_a_command_that_succeeds_passes_its_output_through_and_checks_in(self):
        self.configure()
        result = self.run_exec("sh", "-c", "echo out; echo err >&2")
        self.assertEqual((result.returncode, result.stdout, result.stderr), (0, "out\n", "err\n"))
        self.assertEqual([kind for kind, _, _ in self.checkins()], ["start", "success"])
        self.assertEqual(self.checkins()[1][2], "out\nerr\n")

    def test_a_failing_command_checks_in_its_status_and_last_10_kb_of_output(self):
        self.configure()
        result = self.run_exec("sh", "-c", "head -c 20000 /dev/zero | tr '\\\\0' a; echo; echo broke; exit 4")
        self.assertEqual(result.returncode, 4)
        kind, status, message = self.checkins()[-1]
        self.assertEqual((kind, status), ("failure", 4))
        self.assertEqual(len(message), 10 * 1024)
        self.assertTrue(message.endswith("broke\n"))
        self.assertEqual(self.tick().returncode, 1)

    def test_a_command_that_cannot_start_is_127_and_a_failure(self):
        self.configure()
        result = self.run_exec("/nonexistent/backup.sh")
        self.assertEqual(result.returncode, 127)
        self.assertIn("cannot run /nonexistent/backup.sh", result.stderr)
        self.assertEqual(self.checkins()[-1][:2], ("failure", 127))

    @unittest.skipUnless(os.path.exists(FAKETIME), "libfaketime (Debian package faketime) is not installed")
    def test_a_start_without_an_end_within_max_runtime_fails_the_heartbeat(self):
        self.configure(extra="max_runtime = 2h")
        self.assertEqual(self.checker("-m", "ping", "--job", "backup", "--start").returncode, 0)
        self.assertEqual(self.tick().returncode, 0)
        later = dict(os.environ, LD_PRELOAD=FAKETIME, FAKETIME="+7500", FAKETIME_DONT_FAKE_MONOTONIC="1")
        result = subprocess.run([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"], capture_output=True,
                                text=True, timeout=60, env=later)
        self.assertEqual(result.returncode, 1, result.stderr)
        message = self.status()["heartbeat:backup"]["message"]
        self.assertIn("started 2 h 5 min ago and has not finished", message)


if __name__ == "__main__":
    unittest.main()
