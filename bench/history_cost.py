#!/usr/bin/env python3
"""What the run history costs: ticks of N tcp jobs (to an open port on
127.0.0.1), one simulated minute apart (libfaketime), by one or two installed
checkers side by side: the median tick time, and how the state file grows
per run kept. Since each job keeps at most 1000 runs, the file stops
growing once every job has 1000; the script prints that bound as well.

usage: bench/history_cost.py PREFIX [OTHER_PREFIX] [--jobs 1000] [--ticks 30]
"""
import argparse
import calendar
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
START = calendar.timegm((2027, 1, 4, 0, 0, 0))


def listener():
    """A port on 127.0.0.1 that accepts and closes connections; returns it and a stop function."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                sock.accept()[0].close()
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return sock.getsockname()[1], lambda: (stop.set(), thread.join(2), sock.close())


def write_config(directory, jobs, port):
    path = os.path.join(directory, "settings.cfg")
    with open(path, "w") as f:
        f.write("[general]\nservername = bench\nalertcontact = ops@example.com\n"
                "statefile = %s/state.db\nmaxtickgap = 0\n[email]\nnomail = true\n" % directory)
        for i in range(jobs):
            f.write("[tcp:t%d]\nhost = 127.0.0.1\nport = %d\n" % (i, port))
    os.chmod(path, 0o600)
    return path


def tick(checker, config, when):
    env = dict(os.environ, LD_PRELOAD=FAKETIME, TZ="UTC", FAKETIME_DONT_FAKE_MONOTONIC="1",
               FAKETIME="@" + time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when)))
    started = time.perf_counter()
    code = subprocess.run([checker, "-f", config, "-m", "cron", "-c", "minute"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300).returncode
    if code != 0:
        raise SystemExit("tick exited %d" % code)
    return time.perf_counter() - started


def state_bytes(directory):
    """The state file's size once its WAL is checkpointed into it."""
    path = os.path.join(directory, "state.db")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        has_runs = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'runs'").fetchone()[0]
        rows = db.execute("SELECT count(*) FROM runs").fetchone()[0] if has_runs else 0
    return os.path.getsize(path), rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefixes", nargs="+")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=30)
    args = parser.parse_args()
    if not os.path.exists(FAKETIME):
        raise SystemExit("libfaketime is not installed (apt-get install faketime)")
    port, stop = listener()
    dirs = [tempfile.mkdtemp(prefix="checker-history-") for _ in args.prefixes]
    try:
        configs = [write_config(d, args.jobs, port) for d in dirs]
        checkers = [os.path.join(p, "bin", "checker") for p in args.prefixes]
        for checker, config in zip(checkers, configs):
            tick(checker, config, START - 60)  # creates the state file; not counted
        before = [state_bytes(d) for d in dirs]
        times = [[] for _ in checkers]
        for i in range(args.ticks):  # paired: the checkers take turns
            for n, (checker, config) in enumerate(zip(checkers, configs)):
                times[n].append(tick(checker, config, START + 60 * i))
        print("prefix | median tick (s) | state file growth per tick | runs kept | bytes per run")
        for n, prefix in enumerate(args.prefixes):
            size, rows = state_bytes(dirs[n])
            growth = (size - before[n][0]) / args.ticks
            per_run = (size - before[n][0]) / max(rows - before[n][1], 1)
            print("%s | %.4f | %.0f KiB | %d | %s" % (prefix, statistics.median(times[n]), growth / 1024, rows,
                                                       "%.0f" % per_run if rows else "-"))
            if rows:
                print("  at 1000 runs per job (reached after 1000 minutes): about %.0f MiB"
                      % (per_run * 1000 * args.jobs / 2**20))
    finally:
        stop()
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
