"""End to end: the nagios plugin running Debian's monitoring plugins
(monitoring-plugins-basic) and test scripts written to the same contract,
through the installed checker. Network traffic stays on 127.0.0.1."""
import os
import time
import unittest

from checker_harness import CheckerTestCase, TcpListener, free_port, wait_until
from web_fixtures import WebServer

PLUGINS = "/usr/lib/nagios/plugins"


def gone(pid):
    """Whether no process has this pid any more (a zombie still counts as there)."""
    return not os.path.exists("/proc/%d" % pid)


class NagiosTestCase(CheckerTestCase):
    def jobs(self, **commands):
        """Writes settings.cfg with one [nagios:NAME] per keyword; a value is the
        command, or (command, extra settings lines)."""
        body = ""
        for name, spec in commands.items():
            command, extra = spec if isinstance(spec, tuple) else (spec, "")
            body += "[nagios:%s]\ncommand = %s\n%s\n" % (name, command, extra)
        self.write_config(body, general_extra="[email]\nnomail = true\n")

    def run_job(self, name, timeout=60):
        """Runs one job with -m run; returns (exit status, its message)."""
        result = self.checker("-m", "run", "--job", "nagios:" + name, timeout=timeout)
        prefix = "nagios:%s: " % name
        self.assertTrue(result.stdout.startswith(prefix), result.stdout + result.stderr)
        return result.returncode, result.stdout[len(prefix):].split(": ", 1)[-1].rstrip("\n")

    def script(self, name, body, mode=0o755):
        """An executable /bin/sh script in the test's directory; returns its path."""
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, mode)
        return path


class ExitStatuses(NagiosTestCase):
    def test_check_dummy_states_map_to_success_and_failure_with_the_state_word(self):
        self.jobs(ok="%s/check_dummy 0 'all fine'" % PLUGINS,
                  warning="%s/check_dummy 1 'a bit hot'" % PLUGINS,
                  critical="%s/check_dummy 2 'on fire'" % PLUGINS,
                  unknown="%s/check_dummy 3 'no idea'" % PLUGINS)
        self.assertEqual(self.run_job("ok"), (0, "OK: all fine"))
        self.assertEqual(self.run_job("warning"), (1, "WARNING: a bit hot"))
        self.assertEqual(self.run_job("critical"), (1, "CRITICAL: on fire"))
        self.assertEqual(self.run_job("unknown"), (1, "UNKNOWN: no idea"))

    def test_warning_ok_makes_warning_a_success_but_not_critical(self):
        self.write_config("""
            [nagios]
            warning = ok
            [nagios:warning]
            command = %s/check_dummy 1 hot
            [nagios:critical]
            command = %s/check_dummy 2 burning
            [nagios:strict]
            command = %s/check_dummy 1 hot
            warning = fail
            """ % (PLUGINS, PLUGINS, PLUGINS), general_extra="[email]\nnomail = true\n")
        self.assertEqual(self.run_job("warning"), (0, "WARNING: hot"))
        self.assertEqual(self.run_job("critical"), (1, "CRITICAL: burning"))
        self.assertEqual(self.run_job("strict"), (1, "WARNING: hot"))

    def test_a_tick_records_the_plugins_message_and_state(self):
        self.jobs(fine="%s/check_dummy 0 fine" % PLUGINS, broken="%s/check_dummy 2 broken" % PLUGINS)
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        jobs = self.status()
        self.assertEqual((jobs["nagios:fine"]["state"], jobs["nagios:fine"]["message"]), ("succeeding", "OK: fine"))
        self.assertEqual((jobs["nagios:broken"]["state"], jobs["nagios:broken"]["message"]),
                         ("failing", "CRITICAL: broken"))

    def test_no_output_says_how_the_plugin_exited(self):
        self.jobs(silent_ok=self.script("silent_ok", "exit 0\n"),
                  silent=self.script("silent", "exit 2\n"),
                  blank=self.script("blank", "echo; echo\nexit 1\n"))
        self.assertEqual(self.run_job("silent_ok"), (0, "exited with status 0"))
        self.assertEqual(self.run_job("silent"), (1, "exited with status 2"))
        self.assertEqual(self.run_job("blank"), (1, "exited with status 1"))

    def test_without_output_the_last_line_of_standard_error_explains(self):
        self.jobs(complains=self.script("complains", "echo 'first' >&2; echo 'cannot open /dev/thing' >&2; exit 3\n"))
        self.assertEqual(self.run_job("complains"), (1, "exited with status 3: cannot open /dev/thing"))

    def test_other_statuses_and_signals_are_unknown_failures(self):
        self.jobs(seven=(self.script("seven", "echo strange; exit 7\n"), "warning = ok"),
                  crash=self.script("crash", "kill -SEGV $$\n"),
                  crash_after_output=self.script("crash_after_output", "echo half done; kill -KILL $$\n"))
        self.assertEqual(self.run_job("seven"), (1, "UNKNOWN: strange (exited with status 7)"))
        self.assertEqual(self.run_job("crash"), (1, "killed by SIGSEGV"))
        self.assertEqual(self.run_job("crash_after_output"), (1, "UNKNOWN: half done (killed by SIGKILL)"))


class Output(NagiosTestCase):
    def test_the_message_is_the_first_line_up_to_the_bar(self):
        self.jobs(perf="%s/check_dummy 0 'fine | time=1s;2;3'" % PLUGINS,
                  multi=self.script("multi", "printf 'DISK WARNING - / is 91%% full | /=91%%;90;95\\n"
                                             "long text line\\nmore | a=1\\nb=2\\n'\nexit 1\n"))
        self.assertEqual(self.run_job("perf"), (0, "OK: fine"))
        self.assertEqual(self.run_job("multi"), (1, "DISK WARNING - / is 91% full"))

    def test_perfdata_in_every_guideline_form_is_accepted(self):
        forms = ("'disk usage /var'=42%;80;90;0;100 'it''s'=1 load1=0.5;5;10;0; procs=81;;;0; "
                 "time=0.012s;1;2;0;10 rta=12.5ms;100:200;@300:400 jitter=150us;~:500;10: "
                 "used=1.5GB;;;0;10TB size=3KB;;;; mem=512MB;;;0 bytes=1024B hits=123456c "
                 "bare=7 negative=-3.5;-10:-1;@-20:-15 bad=abc undetermined=U")
        self.jobs(forms=self.script("forms", "echo 'PERF OK - every form | %s'\n"
                                             "echo 'long text | more=1ms;;;'\nexit 0\n" % forms))
        self.assertEqual(self.run_job("forms"), (0, "PERF OK - every form"))

    def test_a_plugin_flooding_stdout_finishes_quickly_with_its_first_line(self):
        self.jobs(flood=(self.script("flood", "echo 'FLOOD OK - first line | a=1'\n"
                                              "head -c 8000000 /dev/zero | tr '\\000' x\necho\nexit 0\n"),
                         "timeout = 20"))
        started = time.monotonic()
        status, message = self.run_job("flood", timeout=30)
        took = time.monotonic() - started
        self.assertEqual((status, message), (0, "FLOOD OK - first line"))
        self.assertLess(took, 5, "8 MB of output took %.2f s" % took)

    def test_the_plugin_gets_a_minimal_environment_stdin_from_dev_null_and_runs_in_root(self):
        record = os.path.join(self.dir, "seen")
        self.jobs(env=self.script("env", "{ env | sort; pwd; wc -c; } > %s\necho OK\n" % record))
        result = self.checker("-m", "run", "--job", "nagios:env",
                              env={"SECRET_TOKEN": "leak", "LC_ALL": "de_DE.UTF-8", "HOME": "/root"})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        with open(record) as f:
            seen = f.read().splitlines()
        # PWD is added by sh itself.
        self.assertEqual(seen, ["LANG=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "PWD=/", "/", "0"])

    def test_command_words_are_split_as_a_shell_would_without_running_one(self):
        record = os.path.join(self.dir, "args")
        printer = self.script("args", "for word in \"$@\"; do echo \"[$word]\"; done > %s\necho OK\n" % record)
        self.jobs(args="%s 'two words' \"it's\" back\\ slash '' $HOME * \\| x" % printer)
        self.assertEqual(self.run_job("args")[0], 0)
        with open(record) as f:
            self.assertEqual(f.read().splitlines(),
                             ["[two words]", "[it's]", "[back slash]", "[]", "[$HOME]", "[*]", "[|]", "[x]"])


class ProcessGroup(NagiosTestCase):
    def test_a_child_left_running_by_a_finished_plugin_is_killed_at_once(self):
        pidfile = os.path.join(self.dir, "child.pid")
        self.jobs(leaves_child=self.script("leaves_child", "sleep 300 &\necho $! > %s\necho OK done\n" % pidfile))
        started = time.monotonic()
        self.assertEqual(self.run_job("leaves_child"), (0, "OK done"))
        self.assertLess(time.monotonic() - started, 5)
        with open(pidfile) as f:
            child = int(f.read())
        self.assertTrue(wait_until(lambda: gone(child), timeout=5), "the plugin's child %d survived the job" % child)

    def test_a_hung_plugin_and_its_hung_child_are_killed_at_the_timeout(self):
        pidfile = os.path.join(self.dir, "child.pid")
        self.jobs(hangs=(self.script("hangs", "sleep 300 &\necho $! > %s\necho still working\nsleep 300\n" % pidfile),
                         "timeout = 3"))
        started = time.monotonic()
        self.assertEqual(self.run_job("hangs"), (1, "timed out after 3 s"))
        self.assertLess(time.monotonic() - started, 3)
        with open(pidfile) as f:
            child = int(f.read())
        self.assertTrue(wait_until(lambda: gone(child), timeout=5), "the plugin's child %d survived the job" % child)

    def test_a_plugin_that_ignores_sigterm_is_killed(self):
        pidfile = os.path.join(self.dir, "plugin.pid")
        stubborn = self.script("stubborn", "trap '' TERM\necho $$ > %s\nwhile :; do sleep 1; done\n" % pidfile)
        self.jobs(stubborn=(stubborn, "timeout = 3"))
        self.assertEqual(self.run_job("stubborn"), (1, "timed out after 3 s"))
        with open(pidfile) as f:
            plugin = int(f.read())
        self.assertTrue(wait_until(lambda: gone(plugin), timeout=5))

    def test_a_timeout_fails_only_its_own_job_in_a_tick(self):
        self.jobs(hangs=("/bin/sleep 300", "timeout = 2"), fine="%s/check_dummy 0 fine" % PLUGINS)
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        jobs = self.status()
        self.assertEqual(jobs["nagios:hangs"]["message"], "timed out after 2 s")
        self.assertEqual(jobs["nagios:fine"]["state"], "succeeding")


class MonitoringPlugins(NagiosTestCase):
    def test_check_tcp_against_a_listener_and_a_closed_port(self):
        listener = TcpListener()
        self.addCleanup(listener.close)
        closed = free_port()
        self.jobs(open="%s/check_tcp -H 127.0.0.1 -p %d -t 5" % (PLUGINS, listener.port),
                  closed="%s/check_tcp -H 127.0.0.1 -p %d -t 5" % (PLUGINS, closed))
        status, message = self.run_job("open")
        self.assertEqual(status, 0, message)
        self.assertTrue(message.startswith("TCP OK - "), message)
        status, message = self.run_job("closed")
        self.assertEqual(status, 1)
        self.assertEqual(message, "CRITICAL: connect to address 127.0.0.1 and port %d: Connection refused" % closed)

    def test_check_http_against_a_local_server(self):
        web = WebServer({"/health": (200, "all systems go"), "/broken": (500, "internal error")})
        self.addCleanup(web.close)
        check = "%s/check_http -H 127.0.0.1 -p %d -t 5" % (PLUGINS, web.port)
        self.jobs(up=check + " -u /health -s 'systems go'",
                  missing_text=check + " -u /health -s 'not there'",
                  broken=check + " -u /broken")
        status, message = self.run_job("up")
        self.assertEqual(status, 0, message)
        self.assertTrue(message.startswith("HTTP OK: HTTP/1.0 200 OK"), message)
        status, message = self.run_job("missing_text")
        self.assertEqual(status, 1)
        self.assertIn("HTTP CRITICAL", message)
        self.assertIn("string 'not there' not found", message)
        status, message = self.run_job("broken")
        self.assertEqual(status, 1)
        self.assertTrue(message.startswith("HTTP CRITICAL: HTTP/1.0 500"), message)

    def test_check_disk_on_this_machine(self):
        self.jobs(roomy="%s/check_disk -w 0%% -c 0%% -p /" % PLUGINS,
                  impossible="%s/check_disk -w 100%% -c 100%% -p /" % PLUGINS)
        status, message = self.run_job("roomy")
        self.assertEqual(status, 0, message)
        self.assertTrue(message.startswith("DISK OK - free space: / "), message)
        self.assertNotIn("|", message)
        status, message = self.run_job("impossible")
        self.assertEqual(status, 1)
        self.assertTrue(message.startswith("DISK CRITICAL - free space: / "), message)

    def test_check_load_on_this_machine(self):
        self.jobs(load="%s/check_load -w 1000,1000,1000 -c 2000,2000,2000" % PLUGINS)
        status, message = self.run_job("load")
        self.assertEqual(status, 0, message)
        self.assertTrue(message.startswith("LOAD OK - total load average: "), message)

    def test_check_procs_counts_processes(self):
        self.jobs(procs="%s/check_procs -w 100000 -c 200000" % PLUGINS)
        status, message = self.run_job("procs")
        self.assertEqual(status, 0, message)
        self.assertTrue(message.startswith("PROCS OK: "), message)


class Validation(NagiosTestCase):
    def test_a_command_that_cannot_run_is_a_configuration_error_naming_file_line_and_key(self):
        not_executable = self.script("not_executable", "echo OK\n", mode=0o644)
        self.write_config("""
            [email]
            nomail = true
            [nagios:relative]
            command = check_disk -w 10%%
            [nagios:missing]
            command = /usr/lib/nagios/plugins/check_nothing_here
            [nagios:not_executable]
            command = %s
            [nagios:directory]
            command = /usr/lib/nagios/plugins
            [nagios:unterminated]
            command = /bin/echo 'open
            [nagios:empty]
            command =
            [nagios:bad_warning]
            command = /bin/true
            warning = maybe
            """ % not_executable)
        expected = [
            ("command = check_disk -w 10%", "[nagios:relative] command: must start with the absolute path of the "
                                            "plugin, not 'check_disk'"),
            ("command = /usr/lib/nagios/plugins/check_nothing_here",
             "[nagios:missing] command: names /usr/lib/nagios/plugins/check_nothing_here, which does not exist"),
            ("command = " + not_executable,
             "[nagios:not_executable] command: names %s, which is not executable" % not_executable),
            ("command = /usr/lib/nagios/plugins",
             "[nagios:directory] command: names /usr/lib/nagios/plugins, which is not a file"),
            ("command = /bin/echo 'open", "[nagios:unterminated] command: has an unterminated single quote"),
            ("command =", "[nagios:empty] command: is required"),
            ("warning = maybe", "[nagios:bad_warning] warning: must be fail or ok, not 'maybe'"),
        ]
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        for line_text, error in expected:
            self.assertIn("%s:%d: %s" % (self.config, self.line_of(line_text), error), result.stdout)
        self.assertEqual(self.tick().returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))

    def test_a_plugin_missing_at_a_tick_fails_its_own_job_and_the_others_run(self):
        self.jobs(missing="/usr/lib/nagios/plugins/check_nothing_here -w 1", fine="%s/check_dummy 0 fine" % PLUGINS)
        self.assertEqual(self.checker("-m", "validate").returncode, 2)
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        jobs = self.status()
        self.assertEqual(jobs["nagios:missing"]["state"], "failing")
        self.assertIn("check_nothing_here", jobs["nagios:missing"]["message"])
        self.assertEqual(jobs["nagios:fine"]["state"], "succeeding")

    def test_a_good_command_validates(self):
        self.jobs(disk="%s/check_disk -w 10%% -c 5%% -p /" % PLUGINS)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def line_of(self, text):
        with open(self.config) as f:
            return next(number for number, line in enumerate(f, 1) if line.strip() == text)


if __name__ == "__main__":
    unittest.main()
