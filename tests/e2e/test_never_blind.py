"""Monitoring goes on when settings.cfg is broken: the last good
configuration runs, the operator is told (first, then hourly, and once when
it is fixed), and check-ins are kept. The clock is moved with libfaketime, so
nothing sleeps for minutes; mail is delivered to a real SMTP server."""
import os
import re
import subprocess
import textwrap
import time
import unittest

from checker_harness import CHECKER, TcpListener
from mail_fixtures import MailTestCase

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


@unittest.skipUnless(os.path.exists(FAKETIME), "libfaketime (Debian package faketime) is not installed")
class BrokenConfiguration(MailTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = self.start_smtp()
        self.listener = TcpListener()
        self.addCleanup(self.listener.close)
        self.start = int(time.time())

    def configure(self, port_value):
        self.write_config(self.email_section(self.smtp.port) + textwrap.dedent("""
            [tcp:up]
            host = 127.0.0.1
            port = %s
            [heartbeat:backup]
            period = 3m
            """ % port_value))

    def at(self, minutes, *args):
        """Runs checker as if `minutes` minutes had passed since the test began."""
        env = dict(os.environ, LD_PRELOAD=FAKETIME, FAKETIME="@" + time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime(self.start + 60 * minutes)), TZ="UTC", FAKETIME_DONT_FAKE_MONOTONIC="1")
        return subprocess.run([CHECKER, "-f", self.config] + list(args), capture_output=True, text=True,
                              timeout=60, env=env, cwd=self.dir)

    def subjects(self):
        return [message.subject for message in self.smtp.messages]

    def test_a_broken_file_between_two_good_ones_keeps_monitoring_and_tells_the_operator(self):
        self.configure(self.listener.port)
        first = self.at(0, "-m", "cron", "-c", "minute")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(self.subjects(), [])

        self.configure("%dx" % self.listener.port)  # a typo
        broken = self.at(1, "-m", "cron", "-c", "minute")
        self.assertEqual(broken.returncode, 2, broken.stderr)
        self.assertIn("[tcp:up] port", broken.stderr)
        self.assertIn("last configuration that loaded without errors", broken.stderr)
        self.smtp.wait_for(1)
        subject = self.subjects()[0]
        self.assertRegex(subject, r"^\[testhost\] checker:config: configuration error: .*settings\.cfg:%d: "
                         r"\[tcp:up\] port" % self.line_of("port = %dx" % self.listener.port))
        # The jobs ran on the last good configuration.
        status = self.at(1, "-m", "status", "--json")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertIn("configuration has errors", status.stderr)
        self.assertIn('"name": "tcp:up"', status.stdout)
        listing = self.at(1, "-m", "list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("heartbeat:backup", listing.stdout)

        # Check-ins are recorded while the file is broken.
        for minute in (1.5, 2.5, 3.5, 4.5):
            ping = self.at(minute, "-m", "ping", "--job", "backup")
            self.assertEqual(ping.returncode, 0, ping.stderr)
            self.assertEqual(ping.stdout, "")

        for minute in (2, 3, 4):
            self.assertEqual(self.at(minute, "-m", "cron", "-c", "minute").returncode, 2)
        self.assertEqual(len(self.subjects()), 1, "one notice, then hourly: %s" % self.subjects())

        self.configure(self.listener.port)  # fixed
        fixed = self.at(5, "-m", "cron", "-c", "minute")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        self.smtp.wait_for(2)
        self.assertEqual(len(self.subjects()), 2, self.subjects())
        self.assertIn("checker:config", self.subjects()[1])
        self.assertIn("loads without errors again", self.subjects()[1])
        # No missed ticks and no false heartbeat alarm: ticks ran all along, and so did the backups' pings.
        self.assertFalse(any("ticks" in s or "heartbeat" in s for s in self.subjects()), self.subjects())

    def test_the_config_error_reminder_is_hourly(self):
        self.configure(self.listener.port)
        self.at(0, "-m", "cron", "-c", "minute")
        self.configure("%dx" % self.listener.port)
        self.at(1, "-m", "cron", "-c", "minute")
        self.at(30, "-m", "cron", "-c", "minute")
        self.at(61, "-m", "cron", "-c", "minute")
        self.smtp.wait_for(2)
        self.assertEqual(len([s for s in self.subjects() if "configuration error" in s]), 2, self.subjects())

    def test_a_new_install_with_a_broken_file_runs_nothing_and_writes_nothing(self):
        self.configure("%dx" % self.listener.port)
        result = self.at(0, "-m", "cron", "-c", "minute")
        self.assertEqual(result.returncode, 2)
        self.assertIn("nothing was run", result.stderr)
        self.assertFalse(os.path.exists(self.statefile))


class ClockExcursion(MailTestCase):
    """The clock jumps a day ahead and is corrected back: no silence, no negative ages."""

    def setUp(self):
        super().setUp()
        self.smtp = self.start_smtp()
        self.start = int(time.time())

    at = BrokenConfiguration.at
    subjects = BrokenConfiguration.subjects

    def test_a_failing_hourly_job_notifies_again_after_the_clock_went_back(self):
        self.write_config(self.email_section(self.smtp.port) + textwrap.dedent("""
            [tcp:down]
            host = 127.0.0.1
            port = 1
            notify = hour
            """))
        self.assertEqual(self.at(24 * 60, "-m", "cron", "-c", "minute").returncode, 1)  # a day ahead
        self.smtp.wait_for(1)
        self.assertEqual(self.at(61, "-m", "cron", "-c", "minute").returncode, 1)  # corrected back, an hour on
        self.smtp.wait_for(2)
        self.assertEqual(len(self.subjects()), 2, self.subjects())

    def test_a_heartbeat_checked_in_in_the_future_fails_one_period_after_the_clock_went_back(self):
        self.write_config(self.email_section(self.smtp.port) + textwrap.dedent("""
            [heartbeat:backup]
            period = 10m
            """))
        self.at(0, "-m", "cron", "-c", "minute")
        self.assertEqual(self.at(24 * 60, "-m", "ping", "--job", "backup").returncode, 0)
        self.assertEqual(self.at(1, "-m", "cron", "-c", "minute").returncode, 0)
        late = self.at(13, "-m", "cron", "-c", "minute")
        self.assertEqual(late.returncode, 1, late.stderr)
        message = re.search(r'"heartbeat:backup".*?"message": "([^"]*)"', self.at(13, "-m", "status", "--json").stdout)
        self.assertIn("no check-in for 12 min", message.group(1))
        self.assertNotRegex(message.group(1), r"-\d", "no negative ages")


if __name__ == "__main__":
    unittest.main()


def reachable_by_everyone(path):
    """Whether every directory above `path` lets other users through."""
    path = os.path.dirname(os.path.realpath(path))
    while path != "/":
        if not os.stat(path).st_mode & 0o001:
            return False
        path = os.path.dirname(path)
    return True


@unittest.skipUnless(os.geteuid() == 0 and reachable_by_everyone(CHECKER),
                     "needs root, and an installed checker other users can run")
class UnprivilegedDaemon(MailTestCase):
    def test_a_daemon_run_as_nobody_answers_from_a_state_file_root_ticks_write(self):
        import pwd
        import urllib.request
        from checker_harness import free_port, wait_until
        os.chmod(self.dir, 0o755)
        port = free_port()
        self.write_config("""
            [daemon]
            listen = 127.0.0.1:%d
            [tcp:down]
            host = 127.0.0.1
            port = 1
            """ % port)
        os.chmod(self.config, 0o644)
        self.assertEqual(subprocess.run([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"],
                                        capture_output=True, timeout=60).returncode, 1)
        nobody = pwd.getpwnam("nobody")

        def become_nobody():
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)

        self.start_process([CHECKER, "-f", self.config, "-m", "daemon"], preexec_fn=become_nobody,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def get(path):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as response:
                    return response.status, response.read().decode()
            except OSError:
                return None

        self.assertTrue(wait_until(lambda: get("/") is not None, timeout=10))
        self.assertEqual(get("/"), (200, "True"))
        status, body = get("/status.json")
        self.assertEqual(status, 200)
        self.assertIn('"state": "failing"', body)
        self.assertEqual(get("/metrics")[0], 200)
