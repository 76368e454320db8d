"""Shared parts of the end-to-end tests: run the installed checker against a
temporary settings.cfg and real servers on 127.0.0.1.

Every test gets its own directory. Servers are started by the test, bound to
port 0 (the kernel picks a free port) and stopped by PID in tearDown.
Every wait is bounded.
"""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import textwrap
import threading
import time
import unittest

PREFIX = os.environ.get("CHECKER_PREFIX", "")
CHECKER = os.path.join(PREFIX, "bin", "checker")
TEST_PLUGIN_DIR = os.environ.get("CHECKER_TEST_PLUGINS", "")
SOURCE_DIR = os.environ.get("CHECKER_SOURCE_DIR", "")


# libfaketime (Debian package faketime): tests that move the clock skip without it.
FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TcpListener:
    """A listening socket on 127.0.0.1 that accepts and closes connections."""

    def __init__(self, port=0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @classmethod
    def on_port(cls, port):
        return cls(port)

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                conn.close()
            except (socket.timeout, OSError):
                continue

    def close(self):
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


class CheckerTestCase(unittest.TestCase):
    """Base class: a temp directory with settings.cfg and a state file."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="checker-test-")
        os.chmod(self.dir, 0o700)
        self.config = os.path.join(self.dir, "settings.cfg")
        self.statefile = os.path.join(self.dir, "state.db")
        self.logfile = os.path.join(self.dir, "checker.log")
        self._cleanups_pids = []

    def tearDown(self):
        for proc in self._cleanups_pids:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_process(self, args, **kwargs):
        """Starts a helper process that tearDown kills by PID."""
        proc = subprocess.Popen(args, **kwargs)
        self._cleanups_pids.append(proc)
        return proc

    def write_config(self, body, general_extra="", plugindir=True):
        """Writes settings.cfg: a [general] section pointing at this test's
        state and log files, then `body` (dedented). A body that sets up no
        delivery channel gets `[email] nomail = true`, as checker requires
        notifications to go somewhere or be logged on purpose."""
        plugin_line = ""
        if plugindir and TEST_PLUGIN_DIR:
            plugin_line = "plugindir = %s\n" % TEST_PLUGIN_DIR
        if not any(section in body + general_extra for section in ("[email]", "[webhook]", "[alertmanager]")):
            body = textwrap.dedent(body) + "\n[email]\nnomail = true\n"
        text = (
            "[general]\n"
            "servername = testhost\n"
            "alertcontact = ops@example.com\n"
            "statefile = %s\n"
            "logfile = %s\n" % (self.statefile, self.logfile)
            + plugin_line
            + textwrap.dedent(general_extra)
            + "\n"
            + textwrap.dedent(body)
        )
        with open(self.config, "w") as f:
            f.write(text)
        os.chmod(self.config, 0o600)
        return self.config

    def line_of(self, text):
        """The 1-based line of settings.cfg that first contains text."""
        with open(self.config) as f:
            for number, line in enumerate(f, 1):
                if text in line:
                    return number
        raise AssertionError("%r is not in settings.cfg" % text)

    def checker(self, *args, timeout=60, env=None, config=True):
        """Runs the installed checker; returns CompletedProcess (text)."""
        cmd = [CHECKER]
        if config:
            cmd += ["-f", self.config]
        cmd += list(args)
        full_env = dict(os.environ)
        full_env.pop("CHECKER_CONFIG", None)
        if env:
            full_env.update(env)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env, cwd=self.dir)

    def checker_at(self, when, *args, timeout=60):
        """Runs the installed checker with the clock set to `when` (Unix time,
        UTC) by libfaketime; the clock runs on from there."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when))
        return self.checker(*args, timeout=timeout, env={
            "LD_PRELOAD": FAKETIME, "FAKETIME": "@" + stamp, "TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1"})

    def tick(self, frequency="minute", *extra, **kwargs):
        return self.checker("-m", "cron", "-c", frequency, *extra, **kwargs)

    def status(self):
        result = self.checker("-m", "status", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return {job["name"]: job for job in json.loads(result.stdout)["jobs"]}

    def db(self):
        return sqlite3.connect(self.statefile, timeout=30)

    def outbox(self):
        with self.db() as conn:
            return conn.execute(
                "SELECT job, kind, channel, subject, state FROM outbox ORDER BY id").fetchall()

    def log(self):
        if not os.path.exists(self.logfile):
            return ""
        with open(self.logfile) as f:
            return f.read()


def wait_until(predicate, timeout=10.0, interval=0.05):
    """Polls predicate until it is true or timeout passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
