#!/usr/bin/env python3
"""Measures the daemon's status page (GET /status) of the installed checker
with N tcp jobs, each with a full strip of history: the page's size (plain
and gzip-compressed, as a browser asks for it) and the time to serve it,
median of several requests, beside /status.json for scale. A tenth of the
jobs fail (a closed port). Traffic goes only to 127.0.0.1.

usage: bench/status_page_bench.py PREFIX [--jobs 1000] [--ticks 50] [--requests 11]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tick_bench import listener  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(directory, jobs, open_port, closed_port, daemon_port):
    path = os.path.join(directory, "settings.cfg")
    with open(path, "w") as f:
        f.write("[general]\nservername = bench\nalertcontact = ops@example.com\n"
                "statefile = %s/state.db\nmaxtickgap = 0\n[email]\nnomail = true\n"
                "[daemon]\nlisten = 127.0.0.1:%d\n" % (directory, daemon_port))
        for i in range(jobs):
            port = closed_port if i % 10 == 0 else open_port
            f.write("[tcp:t%d]\nhost = 127.0.0.1\nport = %d\n" % (i, port))
    os.chmod(path, 0o600)
    return path


def fetch(url, gzip):
    """(seconds, bytes received) of one GET."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return time.perf_counter() - started, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=50)
    parser.add_argument("--requests", type=int, default=11)
    args = parser.parse_args()
    checker = os.path.join(args.prefix, "bin", "checker")
    open_port, stop = listener()
    directory = tempfile.mkdtemp(prefix="checker-bench-")
    daemon = None
    try:
        daemon_port = free_port()
        config = write_config(directory, args.jobs, open_port, free_port(), daemon_port)
        for _ in range(args.ticks):
            subprocess.run([checker, "-f", config, "-m", "cron", "-c", "minute"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
        daemon = subprocess.Popen([checker, "-f", config, "-m", "daemon"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = "http://127.0.0.1:%d" % daemon_port
        deadline = time.monotonic() + 10
        while True:
            try:
                fetch(base + "/", False)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the daemon did not start")
                time.sleep(0.05)
        print("%d jobs, %d ticks of history, median of %d requests" % (args.jobs, args.ticks, args.requests))
        print("path                      median ms   min ms   max ms   bytes")
        for path, gzip in (("/status", False), ("/status", True), ("/status.json", False)):
            fetch(base + path, gzip)  # warms the page cache; not counted
            samples = [fetch(base + path, gzip) for _ in range(args.requests)]
            times = sorted(seconds * 1000 for seconds, _ in samples)
            label = path + (" (gzip)" if gzip else "")
            print("%-24s %10.1f %8.1f %8.1f %8d" % (label, statistics.median(times), times[0], times[-1],
                                                    samples[-1][1]))
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait(timeout=10)
        stop()
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
