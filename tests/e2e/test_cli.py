"""The command line: modes, config search order, exit statuses."""
import json
import os
import unittest

from checker_harness import CHECKER, CheckerTestCase, TcpListener


class CommandLineTest(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.listener = TcpListener()

    def tearDown(self):
        self.listener.close()
        super().tearDown()

    def good_config(self):
        return self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port)

    def test_help_and_version_exit_0(self):
        result = self.checker("--help", config=False)
        self.assertEqual(result.returncode, 0)
        self.assertIn("-m cron -c minute|hour|day|day_noon", result.stdout)
        result = self.checker("--version", config=False)
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"checker \d+\.\d+\.\d+")

    def test_usage_errors_exit_2(self):
        self.good_config()
        for args in (["-m", "cron"], ["-m", "cron", "-c", "weekly"], ["-m", "bogus"], [], ["-m", "run"],
                     ["--frobnicate"]):
            result = self.checker(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("checker:", result.stderr)

    def test_missing_config_named_by_flag_is_an_error_not_a_fall_through(self):
        with open(os.path.join(self.dir, "settings.cfg"), "w") as f:
            f.write("[general]\nservername = x\nalertcontact = y\n")
        result = self.checker("-f", os.path.join(self.dir, "nope.cfg"), "-m", "validate", config=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("nope.cfg", result.stderr)

    def test_missing_config_named_by_environment_is_an_error(self):
        self.good_config()
        result = self.checker("-m", "validate", config=False,
                              env={"CHECKER_CONFIG": os.path.join(self.dir, "gone.cfg")})
        self.assertEqual(result.returncode, 2)
        self.assertIn("gone.cfg", result.stderr)

    def test_config_from_environment_then_working_directory(self):
        self.good_config()
        elsewhere = os.path.join(self.dir, "other.cfg")
        os.rename(self.config, elsewhere)
        result = self.checker("-m", "list", config=False, env={"CHECKER_CONFIG": elsewhere})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("tcp:up", result.stdout)
        os.rename(elsewhere, self.config)  # ./settings.cfg in the working directory
        result = self.checker("-m", "list", config=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("tcp:up", result.stdout)

    @unittest.skipIf(os.path.exists("/etc/checker/settings.cfg"), "this machine has /etc/checker/settings.cfg")
    def test_no_config_anywhere_is_a_clear_error(self):
        result = self.checker("-m", "list", config=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("no configuration file", result.stderr)

    def test_validate_accepts_a_good_config(self):
        self.good_config()
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertFalse(os.path.exists(self.statefile), "validate must change nothing")

    def test_validate_reports_unknown_keys_as_warnings(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            prot = 80
            [nonsense]
            a = b
            """ % self.listener.port)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("[tcp:up] unknown key 'prot'", result.stdout)
        self.assertIn("unknown section [nonsense]", result.stdout)

    def test_bad_value_names_file_line_and_key_and_nothing_runs(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = eighty
            """)
        for args in (["-m", "validate"], ["-m", "cron", "-c", "minute"]):
            result = self.checker(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("%s:%d: [tcp:up] port: must be a whole number" % (self.config, self.line_of("eighty")),
                          result.stdout + result.stderr)
        self.assertFalse(os.path.exists(self.statefile), "a configuration error must write nothing")

    def test_bad_policy_keys_are_errors(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = 1
            notify = sometimes
            """)
        result = self.checker("-m", "cron", "-c", "minute")
        self.assertEqual(result.returncode, 2)
        self.assertIn("[tcp:up] notify:", result.stderr)

    def test_over_long_line_is_an_error_naming_the_line(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = 1
            """ + "alertcontact = " + "a" * 200 + "@example.com\n")
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("%s:%d: line is longer than 199 characters" % (self.config, self.line_of("aaaa")),
                      result.stdout)

    def test_missing_required_general_keys(self):
        with open(self.config, "w") as f:
            f.write("[general]\nstatefile = %s\n" % self.statefile)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("[general] servername: is required", result.stdout)
        self.assertIn("[general] alertcontact: is required", result.stdout)

    def test_a_directory_given_as_config_is_named_as_such(self):
        result = self.checker("-f", self.dir, "-m", "validate", config=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("is a directory", result.stdout + result.stderr)

    def test_stray_arguments_are_a_usage_error(self):
        self.good_config()
        self.assertEqual(self.checker("-m", "list", "extra").returncode, 2)

    def test_an_indented_key_swallowed_into_alertcontact_is_caught(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = 1
            alertcontact = dns@example.com
              notify = every
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("[tcp:up] alertcontact: 'dns@example.com notify = every' is not an email address", result.stdout)

    def test_an_empty_policy_value_is_an_error_not_the_default(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = 1
            frequency =
            """)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("[tcp:up] frequency: must be minute, hour, day or day_noon, not ''", result.stdout)

    def test_a_byte_order_mark_is_ignored(self):
        self.good_config()
        with open(self.config, "rb") as f:
            text = f.read()
        with open(self.config, "wb") as f:
            f.write(b"\xef\xbb\xbf" + text)
        self.assertEqual(self.checker("-m", "validate").returncode, 0)

    def test_validate_creates_no_logfile_and_warns_about_a_world_readable_password(self):
        self.good_config()
        with open(self.config) as f:
            text = f.read().replace("[email]\nnomail = true\n", "[email]\nnomail = true\npass = hunter2\n")
        with open(self.config, "w") as f:
            f.write(text)
        os.chmod(self.config, 0o644)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 0)
        self.assertIn("readable by every user", result.stdout)
        self.assertNotIn("hunter2", result.stdout + result.stderr)
        self.assertFalse(os.path.exists(self.logfile))

    def test_list_shows_plugin_frequency_and_policy(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = 1
            frequency = hour
            notify = state_change
            failures_before_notify = 3
            """)
        result = self.checker("-m", "list")
        self.assertEqual(result.returncode, 0, result.stderr)
        row = [line for line in result.stdout.splitlines() if line.startswith("tcp:up")][0].split()
        self.assertEqual(row[:5], ["tcp:up", "tcp", "hour", "state_change", "3"])

    def test_status_before_any_tick_is_never_run_and_creates_nothing(self):
        self.good_config()
        result = self.checker("-m", "status", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        document = json.loads(result.stdout)
        self.assertEqual(document["server"], "testhost")
        job = document["jobs"][0]
        self.assertEqual(job["name"], "tcp:up")
        self.assertEqual(job["state"], "never_run")
        self.assertIsNone(job["last_run"])
        self.assertFalse(os.path.exists(self.statefile))

    def test_run_is_a_dry_probe(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            [tcp:down]
            host = 127.0.0.1
            port = 1
            """ % self.listener.port)
        result = self.checker("-m", "run", "--job", "tcp:up")
        self.assertEqual(result.returncode, 0)
        self.assertIn("tcp:up: OK", result.stdout)
        result = self.checker("-m", "run", "--job", "tcp:down")
        self.assertEqual(result.returncode, 1)
        self.assertIn("tcp:down: FAILED: cannot connect to 127.0.0.1:1", result.stdout)
        self.assertFalse(os.path.exists(self.statefile), "run without --notify must not create a state file")

    def test_run_with_notify_records_like_a_tick(self):
        self.write_config("""
            [tcp:down]
            host = 127.0.0.1
            port = 1
            """)
        self.assertEqual(self.tick().returncode, 1)
        result = self.checker("-m", "run", "--job", "tcp:down", "--notify", "--nomail")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(self.status()["tcp:down"]["failures"], 2)

    def test_run_with_notify_never_creates_a_state_file(self):
        self.good_config()
        result = self.checker("-m", "run", "--job", "tcp:up", "--notify")
        self.assertEqual(result.returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))

    def test_unknown_job_name_is_an_error(self):
        self.good_config()
        result = self.checker("-m", "run", "--job", "tcp:nope")
        self.assertEqual(result.returncode, 2)
        self.assertIn("tcp:nope", result.stderr)


if __name__ == "__main__":
    unittest.main()
