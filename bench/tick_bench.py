#!/usr/bin/env python3
"""Measures one cron tick of the installed checker: wall time and peak memory
(the largest resident set of any one process of the tick), median of several
runs, for a tick with no jobs and a tick with N tcp jobs against an open
loopback port. Traffic goes only to 127.0.0.1.

usage: bench/tick_bench.py PREFIX [--jobs 1000] [--runs 9]
"""
import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time


def listener():
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


def measure(checker, config):
    """Runs one tick in a fresh process tree; returns (seconds, peak KiB of any process)."""
    # A fork server child runs the tick so that RUSAGE_CHILDREN covers this tick only.
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        started = time.perf_counter()
        code = subprocess.run([checker, "-f", config, "-m", "cron", "-c", "minute"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        os.write(write_fd, ("%f %d %d" % (took, peak, code)).encode())
        os._exit(0)
    os.close(write_fd)
    data = os.read(read_fd, 100).decode().split()
    os.close(read_fd)
    os.waitpid(pid, 0)
    took, peak, code = float(data[0]), int(data[1]), int(data[2])
    if code != 0:
        raise SystemExit("tick exited %d" % code)
    return took, peak


def bench(checker, jobs, runs, port):
    directory = tempfile.mkdtemp(prefix="checker-bench-")
    try:
        config = write_config(directory, jobs, port)
        measure(checker, config)  # creates the state file; not counted
        samples = [measure(checker, config) for _ in range(runs)]
    finally:
        shutil.rmtree(directory)
    times = sorted(s[0] for s in samples)
    peaks = sorted(s[1] for s in samples)
    return statistics.median(times), times[0], times[-1], statistics.median(peaks) / 1024.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    checker = os.path.join(args.prefix, "bin", "checker")
    port, stop = listener()
    try:
        print("tick                 median s   min s   max s   peak MiB (largest process)")
        for label, jobs in (("no jobs", 0), ("%d tcp jobs" % args.jobs, args.jobs)):
            median, low, high, peak = bench(checker, jobs, args.runs, port)
            print("%-20s %8.4f %8.4f %8.4f %8.1f" % (label, median, low, high, peak))
    finally:
        stop()


if __name__ == "__main__":
    main()
