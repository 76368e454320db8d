"""The Debian packages on this machine: build them, install them as an operator
would, check what they put where, run a tick and the daemon as the user
checker, then purge them and check that nothing is left.

Needs root (it installs packages); it purges a leftover install first, so a
run that died half-way does not break the next. Runs alone (ctest RUN_SERIAL)
and under a lock shared with other checkouts on this machine.
"""
import fcntl
import glob
import grp
import json
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
import unittest
import urllib.request

from checker_harness import TcpListener, free_port

SOURCE_DIR = os.environ.get("CHECKER_SOURCE_DIR", "")
DEB_DIR = os.environ.get("CHECKER_DEB_DIR", os.path.join(SOURCE_DIR, "build", "deb"))
LOCK = "/run/lock/checker-package-test.lock"
APT = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "-y", "-q"]
ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C.UTF-8")
CHECKER = "/usr/bin/checker"
SETTINGS = "/etc/checker/settings.cfg"
TICK_LINES = [
    ("1-59 * * * *", "minute"),
    ("0 1-11,13-23 * * *", "hour"),
    ("0 0 * * *", "day"),
    ("0 12 * * *", "day_noon"),
]


def run(args, timeout=600, check=True, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=ENV, cwd="/", **kwargs)
    if check and result.returncode != 0:
        raise AssertionError("%s exited %d\n%s%s" % (" ".join(args), result.returncode, result.stdout, result.stderr))
    return result


def as_checker(*args, timeout=60):
    return run(["runuser", "-u", "checker", "--", CHECKER] + list(args), timeout=timeout, check=False)


def package_state(name):
    result = run(["dpkg-query", "-W", "-f=${db:Status-Status}", name], check=False)
    return result.stdout.strip() if result.returncode == 0 else "not-installed"


def purge():
    installed = [p for p in ("checker", "checker-dev") if package_state(p) not in ("not-installed", "")]
    if installed:
        run(APT + ["purge"] + installed)


def mode_owner(path):
    info = os.stat(path)
    return (stat.S_IMODE(info.st_mode), pwd.getpwuid(info.st_uid).pw_name, grp.getgrgid(info.st_gid).gr_name)


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


@unittest.skipUnless(os.geteuid() == 0, "installs packages: needs root")
class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One package test per machine at a time, whichever checkout runs it.
        cls.lock = open(LOCK, "w")
        deadline = time.monotonic() + 1800
        while True:
            try:
                fcntl.flock(cls.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)
        purge()
        started = time.monotonic()
        run(["bash", os.path.join(SOURCE_DIR, "scripts", "build-deb.sh"), DEB_DIR], timeout=1500)
        cls.build_seconds = time.monotonic() - started
        cls.debs = sorted(glob.glob(os.path.join(DEB_DIR, "checker_*.deb")) +
                          glob.glob(os.path.join(DEB_DIR, "checker-dev_*.deb")))

    @classmethod
    def tearDownClass(cls):
        purge()
        cls.lock.close()

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="checker-package-")
        os.chmod(self.dir, 0o755)
        self.pids = []

    def tearDown(self):
        for proc in self.pids:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def install(self):
        self.assertEqual(len(self.debs), 2, self.debs)
        run(APT + ["install", "--no-install-recommends"] + self.debs)
        self.addCleanup(purge)

    def write_config(self, body, name="settings.cfg", general=""):
        """A settings file that the user checker can read, state under /var/lib/checker."""
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("[general]\nservername = packagetest\nalertcontact = root@localhost\n"
                    "statefile = /var/lib/checker/package-test.db\n"
                    "logfile = /var/log/checker/package-test.log\n" + general + "\n"
                    "[email]\nnomail = true\n\n" + body)
        os.chown(path, 0, grp.getgrnam("checker").gr_gid)
        os.chmod(path, 0o640)
        return path

    def start_daemon(self, config):
        proc = subprocess.Popen(["runuser", "-u", "checker", "--", CHECKER, "-f", config, "-m", "daemon"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
        self.pids.append(proc)
        # runuser waits for its child: stop the daemon itself by its PID.
        self.addCleanup(self.stop_daemon, proc)
        return proc

    def stop_daemon(self, proc):
        children = []
        try:
            with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                children = [int(pid) for pid in f.read().split()]
        except OSError:
            pass
        for pid in children:
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            for pid in children:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            proc.kill()
            proc.wait(timeout=10)

    def get(self, port, path, deadline_seconds=20):
        deadline = time.monotonic() + deadline_seconds
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as answer:
                    return answer.read().decode()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def test_install_tick_daemon_and_purge(self):
        self.install()

        # The user and what it owns.
        self.assertTrue(user_exists("checker"))
        account = pwd.getpwnam("checker")
        self.assertLess(account.pw_uid, 1000, "a system user")
        self.assertEqual(grp.getgrgid(account.pw_gid).gr_name, "checker")
        self.assertEqual(mode_owner("/var/lib/checker"), (0o750, "checker", "checker"))
        self.assertEqual(mode_owner("/var/log/checker"), (0o2750, "checker", "adm"))
        self.assertEqual(mode_owner("/var/log/checker/checker.log"), (0o640, "checker", "adm"))
        self.assertEqual(mode_owner(SETTINGS), (0o640, "root", "checker"))
        self.assertIn(SETTINGS, run(["dpkg-query", "-W", "-f=${Conffiles}", "checker"]).stdout)

        # What the packages put where.
        for path in (CHECKER, "/usr/lib/checker/libchecker_core.so", "/usr/lib/checker/network.so",
                     "/usr/lib/checker/plugins/tcp.so", "/usr/lib/checker/plugins/http.so",
                     "/lib/systemd/system/checker-daemon.service", "/etc/logrotate.d/checker",
                     "/usr/share/doc/checker/examples/settings.cfg.example",
                     "/usr/include/checker/job.h", "/usr/include/checker/abi.h",
                     "/usr/lib/cmake/CheckerSDK/CheckerSDKConfig.cmake"):
            self.assertTrue(os.path.isfile(path), path)
        self.assertEqual(glob.glob("/etc/systemd/system/*.wants/checker-daemon.service"), [], "not enabled")
        with open("/lib/systemd/system/checker-daemon.service") as f:
            unit = f.read()
        for line in ("User=checker", "ProtectSystem=strict", "ReadWritePaths=/var/lib/checker",
                     "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes"):
            self.assertIn(line, unit)

        # The four ticks, as user checker, with full paths.
        with open("/etc/cron.d/checker") as f:
            entries = [line.split() for line in f if line.strip() and not line.startswith("#") and "=" not in line.split()[0]]
        self.assertEqual(len(entries), 4, entries)
        for entry, (schedule, frequency) in zip(entries, TICK_LINES):
            self.assertEqual(" ".join(entry[:5]), schedule)
            self.assertEqual(entry[5], "checker")
            self.assertIn("/usr/bin/checker -f /etc/checker/settings.cfg -m cron -c " + frequency,
                          " ".join(entry[6:]))

        # As installed: valid, and a tick says nothing (cron mails nothing).
        result = as_checker("-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        tick = run(["runuser", "-u", "checker", "--", "sh", "-c", " ".join(entries[0][6:])], check=False)
        self.assertEqual((tick.returncode, tick.stdout, tick.stderr), (0, "", ""))

        # checker-dev: an out-of-tree plugin builds against the installed SDK
        # with no prefix path, and the installed checker loads it.
        example = "/usr/share/doc/checker-dev/examples/uptime_job"
        plugin_build = os.path.join(self.dir, "uptime")
        run(["cmake", "-S", example, "-B", plugin_build, "-DCMAKE_BUILD_TYPE=Release"])
        run(["cmake", "--build", plugin_build])

        # A tick as user checker against a local target, then the daemon.
        listener = TcpListener()
        self.addCleanup(listener.close)
        port = free_port()
        config = self.write_config("[daemon]\nlisten = 127.0.0.1:%d\n\n"
                                   "[tcp:local]\nhost = 127.0.0.1\nport = %d\n" % (port, listener.port))
        result = as_checker("-f", config, "-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        with_plugin = self.write_config("", name="plugin.cfg", general="plugindir = %s\n" % plugin_build)
        result = as_checker("-f", with_plugin, "-m", "list")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("uptime:recent-boot", result.stdout)
        result = as_checker("-f", config, "-m", "cron", "-c", "minute")
        self.assertEqual((result.returncode, result.stdout, result.stderr), (0, "", ""))
        self.assertEqual(mode_owner("/var/lib/checker/package-test.db")[1], "checker")
        status = json.loads(as_checker("-f", config, "-m", "status", "--json").stdout)
        self.assertEqual([(job["name"], job["state"]) for job in status["jobs"]], [("tcp:local", "succeeding")])

        self.start_daemon(config)
        self.assertEqual(self.get(port, "/"), "True")

        # The manual.
        self.assertEqual(run(["man", "-w", "checker"]).stdout.strip(), "/usr/share/man/man1/checker.1.gz")
        self.assertEqual(run(["man", "-w", "5", "checker-settings"]).stdout.strip(),
                         "/usr/share/man/man5/checker-settings.5.gz")

        # remove keeps the state, the settings and the user; purge removes them.
        for proc in self.pids:
            self.stop_daemon(proc)
        run(APT + ["remove", "checker-dev", "checker"])
        self.assertFalse(os.path.exists(CHECKER))
        self.assertTrue(os.path.exists("/var/lib/checker/package-test.db"))
        self.assertTrue(os.path.exists(SETTINGS))
        self.assertTrue(user_exists("checker"))
        tick = run(["runuser", "-u", "checker", "--", "sh", "-c", " ".join(entries[0][6:])], check=False)
        self.assertEqual((tick.stdout, tick.stderr), ("", ""), "cron.d stays after remove: its lines keep quiet")
        purge()
        self.assertEqual(package_state("checker"), "not-installed")
        self.assertFalse(user_exists("checker"))
        self.assertFalse(group_exists("checker"))
        for path in ("/var/lib/checker", "/var/log/checker", "/etc/checker", "/etc/cron.d/checker",
                     "/etc/logrotate.d/checker", "/usr/lib/checker", "/usr/include/checker"):
            self.assertFalse(os.path.exists(path), path)


if __name__ == "__main__":
    unittest.main()
