"""Heartbeats, the dead man's switch."""
import unittest

from checker_harness import CheckerTestCase


class HeartbeatTest(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.write_config("""
            [heartbeat:backups]
            period = 25h
            notify = every
            """)

    def shift(self, column, seconds):
        with self.db() as conn:
            conn.execute("UPDATE jobs SET %s = %s - ? WHERE key = 'heartbeat:backups'" % (column, column),
                         (seconds,))

    def test_a_new_heartbeat_does_not_alert_at_once(self):
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.status()["heartbeat:backups"]["state"], "succeeding")

    def test_a_heartbeat_never_checked_in_is_due_one_period_after_it_first_appeared(self):
        self.tick("minute", "--nomail")
        self.shift("first_seen", 25 * 3600 + 60)
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 1)
        self.assertIn("failure notification for heartbeat:backups", result.stdout)
        self.assertIn("no check-in for 25 h", self.status()["heartbeat:backups"]["message"])

    def test_a_check_in_within_the_period_keeps_it_succeeding(self):
        self.tick("minute", "--nomail")
        self.shift("first_seen", 30 * 3600)
        result = self.checker("-m", "ping", "--job", "backups")  # the bare NAME of a heartbeat
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)
        self.shift("last_checkin", 25 * 3600 + 1)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 1)

    def test_a_failure_check_in_fails_the_heartbeat_with_its_message(self):
        result = self.checker("-m", "ping", "--job", "heartbeat:backups", "--fail", "--message", "disk full")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 1)
        self.assertIn("reported a failure: disk full", self.status()["heartbeat:backups"]["message"])
        self.checker("-m", "ping", "--job", "backups")
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)

    def test_unpausing_restarts_the_period(self):
        self.tick("minute", "--nomail")
        self.checker("-m", "pause", "--job", "backups")
        self.shift("first_seen", 40 * 3600)
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)
        self.checker("-m", "unpause", "--job", "backups")
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)

    def test_a_timed_pause_that_runs_out_restarts_the_period(self):
        self.tick("minute", "--nomail")
        self.assertEqual(self.checker("-m", "pause", "--job", "backups", "--for", "1h").returncode, 0)
        with self.db() as conn:
            conn.execute("UPDATE jobs SET paused_until = paused_until - 3601, first_seen = first_seen - 40*3600")
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0)
        self.assertEqual(self.status()["heartbeat:backups"]["state"], "succeeding")

    def test_ping_of_an_unknown_heartbeat_is_an_error(self):
        result = self.checker("-m", "ping", "--job", "nosuch")
        self.assertEqual(result.returncode, 2)
        self.assertIn("nosuch", result.stderr)


class ScheduleTest(CheckerTestCase):
    def test_a_schedule_continued_over_lines_is_valid(self):
        self.write_config("""
            [heartbeat:sched]
            period = * * * * sat,sun 300;
              * 0-12 * * mon-fri 300
              * 13-23 * * mon-fri 90
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout)

    def test_a_schedule_with_semicolons_on_one_line_applies_the_matching_period(self):
        self.write_config("""
            [heartbeat:sched]
            period = * * * * * 2h;* * * * * 90
            """)
        self.tick("minute", "--nomail")
        with self.db() as conn:
            conn.execute("UPDATE jobs SET first_seen = first_seen - 3600")
        self.assertEqual(self.tick("minute", "--nomail").returncode, 0, "the first matching directive wins")

    def test_a_bad_schedule_is_an_error_naming_the_key(self):
        self.write_config("""
            [heartbeat:sched]
            period = * * * * funday 300
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("[heartbeat:sched] period:", result.stdout)


if __name__ == "__main__":
    unittest.main()
