"""Prometheus, node_exporter and Alertmanager from Debian's packages, each
started by a test on 127.0.0.1 with ports it picks and storage in its own
directory, stopped by PID. Debian's services (if any run) are never used."""
import json
import os
import re
import subprocess
import urllib.request

from checker_harness import SOURCE_DIR, free_port, wait_until

PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
NODE_EXPORTER = "/usr/bin/prometheus-node-exporter"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
AMTOOL = "/usr/bin/amtool"


def fleet_snippets():
    """The snippets of docs/fleet.md, by the name of the comment before each."""
    with open(os.path.join(SOURCE_DIR, "docs", "fleet.md")) as f:
        text = f.read()
    pattern = r"<!-- (?:file|command): (\S+) -->\n```\w*\n(.*?)```"
    return {name: body for name, body in re.findall(pattern, text, re.S)}


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except OSError:
        return None, ""


class Engine:
    """A server process: start() waits (bounded) until `ready_path` answers 200."""

    ready_path = "/"

    def __init__(self, test, directory):
        self.test = test
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(directory, "engine.log")

    def start(self, args, timeout=30):
        with open(self.log_path, "w") as log:
            self.proc = self.test.start_process(args, stdout=log, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL, cwd=self.directory)
        ready = wait_until(lambda: self.proc.poll() is not None or http_get(self.url + self.ready_path)[0] == 200,
                           timeout=timeout, interval=0.1)
        if not ready or self.proc.poll() is not None:
            with open(self.log_path) as f:
                raise AssertionError("%s did not start:\n%s" % (args[0], f.read()[-3000:]))
        return self

    def get(self, path):
        return http_get(self.url + path)

    def get_json(self, path):
        status, body = self.get(path)
        return json.loads(body) if status == 200 else None


class Alertmanager(Engine):
    ready_path = "/-/ready"

    def start(self, config_text):
        config = os.path.join(self.directory, "alertmanager.yml")
        with open(config, "w") as f:
            f.write(config_text)
        return super().start([ALERTMANAGER, "--config.file=" + config,
                              "--storage.path=" + os.path.join(self.directory, "data"),
                              "--web.listen-address=127.0.0.1:%d" % self.port,
                              "--cluster.listen-address="])

    def alerts(self, **filters):
        """The alerts it holds (active, resolved too) whose labels match `filters`."""
        alerts = self.get_json("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true") or []
        return [a for a in alerts if all(a["labels"].get(k) == v for k, v in filters.items())]


class NodeExporter(Engine):
    ready_path = "/metrics"

    def start(self, textfile_directory):
        return super().start([NODE_EXPORTER, "--web.listen-address=127.0.0.1:%d" % self.port,
                              "--collector.disable-defaults", "--collector.textfile",
                              "--collector.textfile.directory=" + textfile_directory])


class Prometheus(Engine):
    ready_path = "/-/ready"

    def start(self, config_text, extra_files=None):
        for name, body in (extra_files or {}).items():
            with open(os.path.join(self.directory, name), "w") as f:
                f.write(body)
        config = os.path.join(self.directory, "prometheus.yml")
        with open(config, "w") as f:
            f.write(config_text)
        return super().start([PROMETHEUS, "--config.file=" + config,
                              "--storage.tsdb.path=" + os.path.join(self.directory, "data"),
                              "--web.listen-address=127.0.0.1:%d" % self.port], timeout=60)

    def query(self, expression):
        from urllib.parse import quote
        document = self.get_json("/api/v1/query?query=" + quote(expression))
        return document["data"]["result"] if document and document.get("status") == "success" else []
