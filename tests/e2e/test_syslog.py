"""logfile = syslog: lines go through syslog(3), facility daemon, tag checker.
The test listens on /dev/log itself when no syslog daemon does."""
import os
import socket
import unittest

from checker_harness import CheckerTestCase


@unittest.skipIf(os.path.exists("/dev/log") or os.geteuid() != 0, "a syslog daemon owns /dev/log, or not root")
class Syslog(CheckerTestCase):
    def test_a_tick_logs_through_syslog_with_the_tag_checker(self):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind("/dev/log")
        self.addCleanup(os.remove, "/dev/log")
        self.addCleanup(listener.close)
        listener.settimeout(10)
        self.write_config("""
            [tcp:down]
            host = 127.0.0.1
            port = 1
            """)
        with open(self.config) as f:
            text = f.read().replace("logfile = %s" % self.logfile, "logfile = syslog")
        with open(self.config, "w") as f:
            f.write(text)
        self.assertEqual(self.tick().returncode, 1)
        lines = []
        listener.settimeout(2)
        try:
            while True:
                lines.append(listener.recv(65536).decode(errors="replace"))
        except socket.timeout:
            pass
        self.assertTrue(lines, "nothing reached /dev/log")
        # <PRI>: facility daemon (3) * 8 + severity.
        priorities = [int(line[1:line.index(">")]) for line in lines if line.startswith("<")]
        self.assertTrue(priorities and all(priority // 8 == 3 for priority in priorities), lines)
        self.assertTrue(all("checker[" in line for line in lines), lines)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "syslog")))
