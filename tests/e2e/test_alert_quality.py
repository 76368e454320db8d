"""Alert quality against the installed checker: dependencies, maintenance
windows, successes_before_recovery, the run history and `-m explain`. Mail
is really delivered to a local SMTP server; the clock is moved with
libfaketime, so nothing sleeps for minutes."""
import calendar
import hashlib
import json
import os
import textwrap
import unittest

from checker_harness import FAKETIME, TcpListener, free_port
from mail_fixtures import MailTestCase

# Sunday 2027-01-03, 01:00 UTC.
SUNDAY_1AM = calendar.timegm((2027, 1, 3, 1, 0, 0))
MINUTE = 60


@unittest.skipUnless(os.path.exists(FAKETIME), "libfaketime (Debian package faketime) is not installed")
class AlertQuality(MailTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = self.start_smtp()

    def configure(self, jobs, general=""):
        # The clock jumps between ticks here: no missed-ticks notices.
        self.write_config(self.email_section(self.smtp.port) + textwrap.dedent(jobs),
                          general_extra="maxtickgap = 0\n" + general)

    def tick_at(self, when):
        return self.checker_at(when, "-m", "cron", "-c", "minute")

    def subjects(self):
        return [message.subject for message in self.smtp.messages]

    def status_at(self, when):
        result = self.checker_at(when, "-m", "status", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return {job["name"]: job for job in json.loads(result.stdout)["jobs"]}

    def explain_at(self, when, job, *extra):
        result = self.checker_at(when, "-m", "explain", "--job", job, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_the_operator_hears_of_the_router_not_of_what_is_behind_it(self):
        router_port = free_port()
        self.configure("""
            [tcp:web]
            host = 127.0.0.1
            port = %d
            depends_on = tcp:router
            [tcp:app]
            host = 127.0.0.1
            port = %d
            depends_on = tcp:web
            [tcp:router]
            host = 127.0.0.1
            port = %d
            """ % (free_port(), free_port(), router_port))
        first = self.tick_at(SUNDAY_1AM)
        self.assertEqual(first.returncode, 1, first.stderr)
        self.smtp.wait_for(1)
        self.assertEqual(len(self.subjects()), 1, self.subjects())
        self.assertIn("tcp:router", self.subjects()[0])
        # Everything is recorded all the same.
        status = self.status_at(SUNDAY_1AM + 10)
        self.assertEqual(status["tcp:web"]["state"], "failing")
        self.assertEqual(status["tcp:app"]["state"], "failing")
        explained = self.explain_at(SUNDAY_1AM + 10, "tcp:web")
        self.assertIn("suppressed: tcp:router is failing", explained)
        self.assertIn("at its first failing run after tcp:router recovers", explained)

        # The router comes back; web still fails and now notifies, in the same tick
        # (the router runs first). app depends on web, which fails: it stays quiet.
        router = TcpListener.on_port(router_port)
        self.addCleanup(router.close)
        second = self.tick_at(SUNDAY_1AM + MINUTE)
        self.assertEqual(second.returncode, 1, second.stderr)
        self.smtp.wait_for(3)
        later = self.subjects()[1:]
        self.assertTrue(any("tcp:router" in s and "recovered" in s.lower() for s in later), later)
        self.assertTrue(any("tcp:web" in s and "failed" in s for s in later), later)
        self.assertFalse(any("tcp:app" in s for s in self.subjects()), self.subjects())
        self.assertIn("notified: the first failing run since its notifications were held back",
                      self.explain_at(SUNDAY_1AM + MINUTE + 10, "tcp:web"))

    def test_a_maintenance_window_is_quiet_and_a_job_still_failing_after_it_notifies(self):
        textfile = os.path.join(self.dir, "checker.prom")
        self.configure("""
            [tcp:db]
            host = 127.0.0.1
            port = %d
            maintenance = 0 2 * * sun 1h; 30 23 * * * 45m
            [prometheus]
            textfile = %s
            """ % (free_port(), textfile))
        two_am = SUNDAY_1AM + 60 * MINUTE
        for minutes in (10, 20, 59):
            result = self.tick_at(two_am + minutes * MINUTE)
            self.assertEqual(result.returncode, 1, result.stderr)
        status = self.status_at(two_am + 30 * MINUTE)["tcp:db"]
        self.assertEqual(status["state"], "maintenance")
        self.assertEqual(status["maintenance_until"], "2027-01-03T03:00:00Z")
        self.assertEqual(status["next_maintenance"], "2027-01-03T23:30:00Z")
        self.assertEqual(status["failures"], 3)
        table = self.checker_at(two_am + 30 * MINUTE, "-m", "status")
        self.assertIn("maintenance", table.stdout)
        explained = self.explain_at(two_am + 30 * MINUTE, "tcp:db")
        self.assertIn("in maintenance until 03:00 UTC", explained)
        self.assertIn("the next starts 23:30 UTC (in 21 h)", explained)
        with open(textfile) as f:
            metrics = f.read()
        self.assertIn('checker_check_state{check="tcp:db",state="maintenance"} 1', metrics)
        self.assertEqual(self.subjects(), [])

        after = self.tick_at(two_am + 61 * MINUTE)
        self.assertEqual(after.returncode, 1, after.stderr)
        self.smtp.wait_for(1)
        self.assertEqual(len(self.subjects()), 1, self.subjects())
        self.assertIn("tcp:db", self.subjects()[0])
        self.assertEqual(self.status_at(two_am + 62 * MINUTE)["tcp:db"]["state"], "failing")

    def test_general_maintenance_covers_every_job(self):
        self.configure("""
            [tcp:a]
            host = 127.0.0.1
            port = %d
            [tcp:b]
            host = 127.0.0.1
            port = %d
            """ % (free_port(), free_port()), general="maintenance = 0 1 * * * 30m\n")
        self.assertEqual(self.tick_at(SUNDAY_1AM + 5 * MINUTE).returncode, 1)
        status = self.status_at(SUNDAY_1AM + 6 * MINUTE)
        self.assertEqual({status["tcp:a"]["state"], status["tcp:b"]["state"]}, {"maintenance"})
        self.assertEqual(self.subjects(), [])
        self.tick_at(SUNDAY_1AM + 31 * MINUTE)
        self.smtp.wait_for(2)
        self.assertEqual(sorted(s.split()[1] for s in self.subjects()), ["tcp:a", "tcp:b"])

    def test_recovery_takes_the_successes_it_is_told_to(self):
        port = free_port()
        textfile = os.path.join(self.dir, "checker.prom")
        self.configure("""
            [tcp:flappy]
            host = 127.0.0.1
            port = %d
            successes_before_recovery = 3
            [prometheus]
            textfile = %s
            """ % (port, textfile))
        self.tick_at(SUNDAY_1AM)
        self.smtp.wait_for(1)
        listener = TcpListener.on_port(port)
        self.addCleanup(listener.close)
        for n in (1, 2):
            result = self.tick_at(SUNDAY_1AM + n * MINUTE)
            self.assertEqual(result.returncode, 0, result.stderr)
            status = self.status_at(SUNDAY_1AM + n * MINUTE + 10)["tcp:flappy"]
            self.assertEqual(status["state"], "failing")
            self.assertEqual(status["recovering"], "%d of 3 successes" % n)
            with open(textfile) as f:
                self.assertIn('checker_check_state{check="tcp:flappy",state="recovering"} 1', f.read())
        self.assertIn("recovering: 2 of 3 successes", self.explain_at(SUNDAY_1AM + 2 * MINUTE + 10, "tcp:flappy"))
        self.assertEqual(len(self.subjects()), 1, self.subjects())
        self.tick_at(SUNDAY_1AM + 3 * MINUTE)
        self.smtp.wait_for(2)
        self.assertEqual(len(self.subjects()), 2, self.subjects())
        self.assertIn("recovered", self.subjects()[1].lower())
        self.assertEqual(self.status_at(SUNDAY_1AM + 4 * MINUTE)["tcp:flappy"]["state"], "succeeding")

    def test_history_keeps_every_run_and_check_in_newest_first(self):
        port = free_port()
        self.configure("""
            [tcp:web]
            host = 127.0.0.1
            port = %d
            [heartbeat:backup]
            period = 1h
            """ % port)
        self.tick_at(SUNDAY_1AM)
        ping = self.checker_at(SUNDAY_1AM + 30, "-m", "ping", "--job", "backup", "--fail", "--message", "disk full")
        self.assertEqual(ping.returncode, 0, ping.stderr)
        listener = TcpListener.on_port(port)
        self.addCleanup(listener.close)
        self.tick_at(SUNDAY_1AM + MINUTE)

        result = self.checker_at(SUNDAY_1AM + 2 * MINUTE, "-m", "history", "--job", "tcp:web", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        entries = json.loads(result.stdout)["entries"]
        self.assertEqual([e["success"] for e in entries], [True, False])
        self.assertEqual(entries[0]["time"], "2027-01-03T01:01:00Z")
        self.assertIn("Connection refused", entries[1]["message"])
        self.assertTrue(entries[1]["decision"].startswith("notified: 1st failure"), entries[1])
        self.assertEqual(entries[0]["decision"], "notified: recovered after 1 failure")
        self.assertGreaterEqual(entries[0]["duration"], 0)
        self.assertIsInstance(entries[0]["perfdata"], list)

        backup = json.loads(self.checker_at(SUNDAY_1AM + 2 * MINUTE, "-m", "history", "--job", "backup",
                                            "--json").stdout)["entries"]
        kinds = [(e["type"], e.get("kind")) for e in backup]
        self.assertIn(("checkin", "failure"), kinds)
        self.assertEqual(next(e for e in backup if e["type"] == "checkin")["message"], "disk full")

        limited = self.checker_at(SUNDAY_1AM + 2 * MINUTE, "-m", "history", "--job", "tcp:web", "--limit", "1")
        self.assertEqual(limited.returncode, 0, limited.stderr)
        self.assertEqual(len(limited.stdout.strip().splitlines()), 2, limited.stdout)  # heading and one run
        bad = self.checker("-m", "history", "--job", "tcp:web", "--limit", "0")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--limit", bad.stderr)

    def test_explain_reads_and_changes_nothing(self):
        self.configure("""
            [tcp:web]
            host = 127.0.0.1
            port = %d
            notify = hour
            """ % free_port())
        self.tick_at(SUNDAY_1AM)
        self.tick_at(SUNDAY_1AM + 12 * MINUTE)
        with open(self.statefile, "rb") as f:
            before = hashlib.sha256(f.read()).hexdigest()
        text = self.explain_at(SUNDAY_1AM + 12 * MINUTE + 5, "tcp:web")
        self.assertIn("quiet: notify = hour and the last notification was 12 min ago", text)
        self.assertIn("at its first failing run from 01:59 UTC on", text)
        data = json.loads(self.explain_at(SUNDAY_1AM + 12 * MINUTE + 5, "tcp:web", "--json"))
        self.assertEqual(data["state"], "failing")
        self.assertEqual(data["failures"], 2)
        self.assertEqual(data["last_notify"], "2027-01-03T01:00:00Z")
        self.assertTrue(any(line["topic"] == "next notification" for line in data["explanation"]))
        with open(self.statefile, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), before)


class DependencyErrors(MailTestCase):
    def test_a_name_that_is_no_job_is_an_error_naming_file_and_line(self):
        self.write_config("""
            [tcp:web]
            host = 127.0.0.1
            port = 80
            depends_on = tcp:routr
            [tcp:router]
            host = 127.0.0.1
            port = 80
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn("settings.cfg:%d: [tcp:web] depends_on: 'tcp:routr' is no job; did you mean 'tcp:router'?"
                      % self.line_of("depends_on"), result.stdout)

    def test_a_cycle_is_an_error_that_shows_the_cycle(self):
        self.write_config("""
            [tcp:a]
            host = 127.0.0.1
            port = 80
            depends_on = tcp:b
            [tcp:b]
            host = 127.0.0.1
            port = 80
            depends_on = tcp:a
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn("a cycle of dependencies: tcp:a -> tcp:b -> tcp:a", result.stdout)
        self.assertEqual(self.tick().returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))


if __name__ == "__main__":
    unittest.main()
