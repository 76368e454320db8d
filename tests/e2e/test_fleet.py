"""Fleets: checker's metrics as Prometheus and node_exporter read them, and
its alerts as Alertmanager receives them, each against the real engine from
Debian's packages on 127.0.0.1. The snippets of docs/fleet.md are the
configurations these tests check and run."""
import os
import subprocess
import textwrap
import time
import unittest

from checker_harness import CHECKER, CheckerTestCase, TcpListener, free_port, wait_until
from fleet_engines import (ALERTMANAGER, AMTOOL, NODE_EXPORTER, PROMETHEUS, PROMTOOL, Alertmanager, NodeExporter,
                           Prometheus, fleet_snippets, http_get)


def promtool_check_metrics(text):
    return subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)


class FleetTestCase(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.down_port = free_port()
        self.textfile_dir = os.path.join(self.dir, "textfile")
        os.mkdir(self.textfile_dir)
        self.textfile = os.path.join(self.textfile_dir, "checker.prom")

    def configure(self, extra="", job_extra=""):
        self.daemon_port = free_port()
        self.write_config(textwrap.dedent("""
            [daemon]
            listen = 127.0.0.1:%d

            [prometheus]
            textfile = %s
            %s
            [tcp:x]
            host = 127.0.0.1
            port = %d
            timeout = 2
            notify = state_change
            labels = team=dns, tier=1
            severity = page
            %s
            """) % (self.daemon_port, self.textfile, extra, self.down_port, job_extra))

    def start_daemon(self):
        daemon = self.start_process([CHECKER, "-f", self.config, "-m", "daemon"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        url = "http://127.0.0.1:%d" % self.daemon_port
        self.assertTrue(wait_until(lambda: http_get(url + "/")[0] == 200, timeout=10), "daemon did not start")
        return daemon, url


class Metrics(FleetTestCase):
    def test_the_daemon_and_the_textfile_serve_the_same_series_and_promtool_accepts_both(self):
        self.configure()
        self.assertEqual(self.tick().returncode, 1)
        with open(self.textfile) as f:
            textfile = f.read()
        checked = promtool_check_metrics(textfile)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn('checker_check_up{check="tcp:x",plugin="tcp"} 0', textfile)
        self.assertIn('checker_check_state{check="tcp:x",state="failing"} 1', textfile)
        self.assertIn('checker_check_runs_total{check="tcp:x"} 1', textfile)
        self.assertNotIn("job=", textfile)
        self.assertEqual([n for n in os.listdir(self.textfile_dir)], ["checker.prom"])  # no temporary left

        _, url = self.start_daemon()
        status, metrics = http_get(url + "/metrics")
        self.assertEqual(status, 200)
        checked = promtool_check_metrics(metrics)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        series = lambda text: sorted(line.split(" ")[0] for line in text.splitlines()
                                     if not line.startswith("#") and "duration" not in line)
        self.assertEqual(series(metrics), series(textfile))

        # A one-off run with --notify is a tick of that job: the textfile follows it.
        self.checker("-m", "run", "--job", "tcp:x", "--notify")
        with open(self.textfile) as f:
            self.assertIn('checker_check_runs_total{check="tcp:x"} 2', f.read())

    def test_perfdata_of_a_nagios_plugin_is_exported_in_base_units(self):
        plugin = os.path.join(self.dir, "check_fake")
        with open(plugin, "w") as f:
            f.write("#!/bin/sh\necho 'FAKE OK - fine | time=0.5s;1;2 size=3KB'\n")
        os.chmod(plugin, 0o755)
        self.configure(job_extra="\n[nagios:fake]\ncommand = %s\n" % plugin)
        self.tick()
        with open(self.textfile) as f:
            textfile = f.read()
        self.assertIn('checker_perfdata{check="nagios:fake",label="time",unit="seconds"} 0.5', textfile)
        self.assertIn('checker_perfdata{check="nagios:fake",label="size",unit="bytes"} 3', textfile)
        self.assertEqual(promtool_check_metrics(textfile).returncode, 0)

    def test_a_textfile_in_a_directory_that_cannot_be_written_is_an_error(self):
        self.configure()
        os.rmdir(self.textfile_dir)
        validated = self.checker("-m", "validate")
        self.assertEqual(validated.returncode, 2)
        self.assertIn("textfile", validated.stderr + validated.stdout)
        self.assertIn("does not exist", validated.stderr + validated.stdout)
        if os.geteuid() != 0:
            os.mkdir(self.textfile_dir, 0o500)
            validated = self.checker("-m", "validate")
            self.assertEqual(validated.returncode, 2)
            self.assertIn("not writable", validated.stderr + validated.stdout)

    @unittest.skipUnless(os.path.exists(NODE_EXPORTER), "prometheus-node-exporter is not installed")
    def test_node_exporter_serves_the_textfile(self):
        self.configure()
        self.tick()
        exporter = NodeExporter(self, os.path.join(self.dir, "node-exporter")).start(self.textfile_dir)
        status, metrics = exporter.get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn('checker_check_up{check="tcp:x",plugin="tcp"} 0', metrics)
        self.assertIn('checker_health{answer="True"} 1', metrics)
        self.assertIn("node_textfile_scrape_error 0", metrics)

    @unittest.skipUnless(os.path.exists(PROMETHEUS), "prometheus is not installed")
    def test_prometheus_scrapes_the_daemon_with_the_documented_configuration(self):
        snippets = fleet_snippets()
        self.configure()
        self.tick()
        _, url = self.start_daemon()
        target = url[len("http://"):]
        config = snippets["prometheus.yml"].replace("30s", "1s").replace(
            '["web1:5000", "web2:5000", "db1:5000"]', '["%s"]' % target)
        prometheus = Prometheus(self, os.path.join(self.dir, "prometheus"))
        checked_dir = prometheus.directory
        with open(os.path.join(checked_dir, "checker-rules.yml"), "w") as f:
            f.write(snippets["checker-rules.yml"])
        with open(os.path.join(checked_dir, "documented.yml"), "w") as f:
            f.write(snippets["prometheus.yml"])
        checked = subprocess.run([PROMTOOL, "check", "config", "documented.yml"], cwd=checked_dir,
                                 capture_output=True, text=True, timeout=30)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        prometheus.start(config)
        result = wait_until(lambda: prometheus.query('checker_check_up{check="tcp:x"}'), timeout=30, interval=0.5)
        self.assertTrue(result, "Prometheus never stored checker_check_up{check=\"tcp:x\"}")
        self.assertEqual(result[0]["value"][1], "0")
        self.assertEqual(result[0]["metric"]["job"], "checker")
        self.assertEqual(result[0]["metric"]["plugin"], "tcp")
        self.assertNotIn("exported_job", result[0]["metric"])
        # The documented rules load: Prometheus evaluates them without errors.
        rules = wait_until(lambda: (prometheus.get_json("/api/v1/rules") or {}).get("data", {}).get("groups"),
                           timeout=10, interval=0.2)
        self.assertEqual([rule["health"] for rule in rules[0]["rules"] if rule["health"] == "err"], [])


@unittest.skipUnless(os.path.exists(ALERTMANAGER), "prometheus-alertmanager is not installed")
class Alerts(FleetTestCase):
    def start_alertmanager(self, name="am"):
        return Alertmanager(self, os.path.join(self.dir, name)).start(fleet_snippets()["alertmanager.yml"])

    def active(self, alertmanager, check="tcp:x"):
        now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        return [a for a in alertmanager.alerts(check=check) if a["endsAt"][:19] > now]

    def test_the_documented_configuration_passes_amtool(self):
        if not os.path.exists(AMTOOL):
            self.skipTest("amtool is not installed")
        path = os.path.join(self.dir, "alertmanager.yml")
        with open(path, "w") as f:
            f.write(fleet_snippets()["alertmanager.yml"])
        checked = subprocess.run([AMTOOL, "check-config", path], capture_output=True, text=True, timeout=30)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)

    def test_both_instances_of_a_pair_get_the_firing_alert_and_then_its_resolution(self):
        first, second = self.start_alertmanager("am1"), self.start_alertmanager("am2")
        self.configure("[alertmanager]\nurl = %s, %s\ngenerator_url = http://testhost:5000\n" % (first.url, second.url))
        self.assertEqual(self.tick().returncode, 1)
        for alertmanager in (first, second):
            (alert,) = wait_until(lambda: self.active(alertmanager), timeout=10)
            labels = alert["labels"]
            self.assertEqual(labels, {"alertname": "CheckerCheckFailing", "check": "tcp:x", "plugin": "tcp",
                                      "instance": "testhost", "severity": "page", "team": "dns", "tier": "1"})
            self.assertRegex(alert["annotations"]["summary"], r"^\[testhost\] tcp:x failed: ")
            self.assertIn("first_failure", alert["annotations"])
            self.assertEqual(alert["generatorURL"], "http://testhost:5000/status")
            self.assertEqual(alert["status"]["state"], "active")

        listener = TcpListener(self.down_port)
        self.addCleanup(listener.close)
        self.assertEqual(self.tick().returncode, 0)
        for alertmanager in (first, second):
            self.assertEqual(wait_until(lambda: not self.active(alertmanager), timeout=10), True)
        with self.db() as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM alert_posts").fetchone()[0], 0)

    def test_a_job_behind_a_failing_dependency_or_in_maintenance_fires_no_alert(self):
        alertmanager = self.start_alertmanager()
        self.configure("[alertmanager]\nurl = %s\n\n[tcp:router]\nhost = 127.0.0.1\nport = %d\n\n"
                       "[tcp:db]\nhost = 127.0.0.1\nport = %d\nmaintenance = * * * * * 1h\n"
                       % (alertmanager.url, free_port(), free_port()), job_extra="depends_on = tcp:router")
        self.assertEqual(self.tick().returncode, 1)
        wait_until(lambda: self.active(alertmanager, check="tcp:router"), timeout=10)
        self.assertEqual(len(self.active(alertmanager, check="tcp:router")), 1)
        self.assertEqual(self.active(alertmanager, check="tcp:x"), [])
        self.assertEqual(self.active(alertmanager, check="tcp:db"), [])

    def test_a_post_that_fails_exits_3_and_is_made_again_at_the_next_tick(self):
        alertmanager = Alertmanager(self, os.path.join(self.dir, "am"))
        self.configure("[alertmanager]\nurl = %s\n" % alertmanager.url, job_extra="failures_before_notify = 1")
        failed = self.tick()
        self.assertEqual(failed.returncode, 3, failed.stderr)
        self.assertIn("could not post", failed.stderr + self.log())
        alertmanager.start(fleet_snippets()["alertmanager.yml"])
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(wait_until(lambda: self.active(alertmanager), timeout=10)), 1)

    def test_missed_ticks_fire_their_own_alert(self):
        alertmanager = self.start_alertmanager()
        self.configure("[alertmanager]\nurl = %s\n" % alertmanager.url)
        self.tick()
        with self.db() as conn:
            conn.execute("UPDATE ticks SET started = started - 3600")
        self.tick()
        (alert,) = wait_until(lambda: self.active(alertmanager, check="checker:ticks"), timeout=10)
        self.assertEqual(alert["labels"]["alertname"], "CheckerTicksMissed")
        self.assertEqual(alert["labels"]["instance"], "testhost")

    def test_nomail_prints_the_post_instead(self):
        alertmanager = self.start_alertmanager()
        self.configure("[alertmanager]\nurl = %s\n" % alertmanager.url)
        ticked = self.tick("minute", "--nomail")
        self.assertEqual(ticked.returncode, 1, ticked.stderr)
        self.assertIn("NOT SENT (nomail, alertmanager): POST %s/api/v2/alerts" % alertmanager.url, ticked.stdout)
        self.assertIn('"alertname": "CheckerCheckFailing"', ticked.stdout)
        self.assertEqual(alertmanager.alerts(), [])

    def test_three_checkers_posting_to_one_alertmanager_are_grouped_by_check(self):
        alertmanager = self.start_alertmanager()
        for host in ("h1", "h2", "h3"):
            config = os.path.join(self.dir, host + ".cfg")
            with open(config, "w") as f:
                f.write("[general]\nservername = %s\nalertcontact = ops@example.com\nstatefile = %s\n\n"
                        "[alertmanager]\nurl = %s\n\n[tcp:x]\nhost = 127.0.0.1\nport = %d\ntimeout = 2\n"
                        % (host, os.path.join(self.dir, host + ".db"), alertmanager.url, self.down_port))
            ticked = subprocess.run([CHECKER, "-f", config, "-m", "cron", "-c", "minute"], capture_output=True,
                                    text=True, timeout=60)
            self.assertEqual(ticked.returncode, 1, ticked.stderr)

        def group_of_x():
            for group in alertmanager.get_json("/api/v2/alerts/groups") or []:
                if group["labels"].get("check") == "tcp:x" and len(group["alerts"]) == 3:
                    return group
            return None

        group = wait_until(group_of_x, timeout=10)
        self.assertTrue(group, alertmanager.get_json("/api/v2/alerts/groups"))
        self.assertEqual(sorted(a["labels"]["instance"] for a in group["alerts"]), ["h1", "h2", "h3"])


if __name__ == "__main__":
    unittest.main()
