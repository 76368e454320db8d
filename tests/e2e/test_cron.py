"""Cron ticks: the cascade, the state file, the policy through nomail output,
missed ticks and pauses."""
import os
import time
import unittest

from checker_harness import CheckerTestCase, TcpListener


class CascadeTest(CheckerTestCase):
    def test_each_tick_runs_exactly_the_frequencies_the_spec_names(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("".join("""
            [counter:%s]
            file = %s
            frequency = %s
            """ % (f, counts, f) for f in ("minute", "hour", "day", "day_noon")))
        expected = {
            "minute": ["minute"],
            "hour": ["hour", "minute"],
            "day": ["day", "hour", "minute"],
            "day_noon": ["day_noon", "hour", "minute"],
        }
        for tick, jobs in expected.items():
            if os.path.exists(counts):
                os.remove(counts)
            result = self.tick(tick)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(counts) as f:
                self.assertEqual(sorted(f.read().split()), jobs, tick)

    def test_disabled_job_does_not_run(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:off]
            file = %s
            enabled = false
            """ % counts)
        self.assertEqual(self.tick().returncode, 0)
        self.assertFalse(os.path.exists(counts))


class StateAndPolicyTest(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.listener = TcpListener()

    def tearDown(self):
        self.listener.close()
        super().tearDown()

    def test_state_fields_after_ticks(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            [tcp:down]
            host = 127.0.0.1
            port = 1
            """ % self.listener.port)
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 1)
        self.tick("minute", "--nomail")
        status = self.status()
        self.assertEqual(status["tcp:up"]["state"], "succeeding")
        self.assertEqual(status["tcp:up"]["failures"], 0)
        self.assertRegex(status["tcp:up"]["last_run"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(status["tcp:down"]["state"], "failing")
        self.assertEqual(status["tcp:down"]["failures"], 2)
        self.assertIsNotNone(status["tcp:down"]["first_failure"])
        self.assertIsNotNone(status["tcp:down"]["last_notify"])
        self.assertIn("127.0.0.1:1", status["tcp:down"]["message"])
        with self.db() as conn:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")

    def test_all_succeeding_exits_0(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port)
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "", "a quiet tick prints nothing, so cron mails nothing")

    def failing_job(self, *policy_lines):
        self.write_config("[tcp:down]\nhost = 127.0.0.1\nport = 1\n" + "".join(line + "\n" for line in policy_lines))

    def notifications(self, ticks):
        """Runs `ticks` minute ticks with --nomail; returns how many printed a failure notification."""
        sent = []
        for _ in range(ticks):
            result = self.tick("minute", "--nomail")
            self.assertIn(result.returncode, (1,), result.stderr)
            sent.append("NOT SENT (nomail): failure notification for tcp:down" in result.stdout)
        return sent

    def test_every_notifies_on_each_failing_tick(self):
        self.failing_job("notify = every")
        self.assertEqual(self.notifications(3), [True, True, True])

    def test_hour_notifies_once_within_the_hour(self):
        self.failing_job("notify = hour")
        self.assertEqual(self.notifications(3), [True, False, False])

    def test_hour_notifies_again_once_the_last_notification_is_59_minutes_old(self):
        self.failing_job("notify = hour")
        self.notifications(1)
        with self.db() as conn:
            conn.execute("UPDATE jobs SET last_notify = last_notify - 59*60 - 1")
        self.assertEqual(self.notifications(1), [True])

    def test_state_change_with_min_3_notifies_on_exactly_the_third_failure(self):
        self.failing_job("notify = state_change", "failures_before_notify = 3")
        self.assertEqual(self.notifications(5), [False, False, True, False, False])

    def test_subject_names_server_and_job(self):
        self.failing_job("notify = every")
        result = self.tick("minute", "--nomail")
        self.assertIn("Subject: [testhost] tcp:down failed: cannot connect to 127.0.0.1:1", result.stdout)

    def test_recovery_is_sent_once_after_a_notified_streak(self):
        port = self.listener.port
        self.listener.close()
        self.write_config("""
            [tcp:flappy]
            host = 127.0.0.1
            port = %d
            notify = every
            """ % port)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 1)
        self.listener = TcpListener.on_port(port)
        first = self.tick("minute", "--nomail")
        second = self.tick("minute", "--nomail")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("recovery notification for tcp:flappy", first.stdout)
        self.assertIn("Subject: [testhost] tcp:flappy recovered", first.stdout)
        self.assertNotIn("recovery", second.stdout)

    def test_alertcontact_override_receives_the_notification(self):
        self.failing_job("notify = every", "alertcontact = dns-team@example.com, noc@example.com")
        result = self.tick("minute", "--nomail")
        self.assertIn("To: dns-team@example.com, noc@example.com", result.stdout)


class MissedTicksTest(CheckerTestCase):
    def test_a_gap_longer_than_maxtickgap_sends_one_missed_ticks_notification(self):
        self.write_config("", general_extra="maxtickgap = 5m\n")
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)
        with self.db() as conn:
            conn.execute("UPDATE ticks SET started = started - 20*60")
        result = self.tick("minute", "--nomail")
        self.assertIn("missed_ticks notification for checker:ticks", result.stdout)
        self.assertIn("no tick ran for 20 min", result.stdout)
        again = self.tick("minute", "--nomail")
        self.assertNotIn("missed_ticks", again.stdout)
        with self.db() as conn:
            kinds = [row[0] for row in conn.execute("SELECT kind FROM outbox")]
        self.assertEqual(kinds, ["missed_ticks"])

    def test_maxtickgap_0_disables_it(self):
        self.write_config("", general_extra="maxtickgap = 0\n")
        self.tick("minute", "--nomail")
        with self.db() as conn:
            conn.execute("UPDATE ticks SET started = started - 20*60")
        self.assertNotIn("missed_ticks", self.tick("minute", "--nomail").stdout)


class PauseTest(CheckerTestCase):
    def test_paused_job_neither_runs_nor_notifies_until_unpaused(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:c]
            file = %s
            succeed = false
            notify = every
            """ % counts)
        self.tick("minute", "--nomail")
        result = self.checker("-m", "pause", "--job", "counter:c")
        self.assertEqual(result.returncode, 0, result.stderr)
        quiet = self.tick("minute", "--nomail")
        self.assertEqual(quiet.returncode, 0)
        self.assertEqual(quiet.stdout, "")
        self.assertEqual(self.status()["counter:c"]["state"], "paused")
        with open(counts) as f:
            self.assertEqual(len(f.read().split()), 1)
        self.assertEqual(self.checker("-m", "unpause", "--job", "counter:c").returncode, 0)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 1)
        with open(counts) as f:
            self.assertEqual(len(f.read().split()), 2)

    def test_pause_for_a_duration_ends_by_itself(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:c]
            file = %s
            """ % counts)
        self.assertEqual(self.checker("-m", "pause", "--job", "counter:c", "--for", "1h").returncode, 0)
        self.tick()
        self.assertFalse(os.path.exists(counts))
        with self.db() as conn:
            conn.execute("UPDATE jobs SET paused_until = paused_until - 3601")
        self.tick()
        self.assertTrue(os.path.exists(counts))

    def test_bad_pause_duration_is_an_error(self):
        self.write_config("""
            [counter:c]
            file = /dev/null
            """)
        result = self.checker("-m", "pause", "--job", "counter:c", "--for", "soon")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--for", result.stderr)


if __name__ == "__main__":
    unittest.main()
