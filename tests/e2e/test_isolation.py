"""Isolation and concurrency: bad jobs never take a tick
down, hung jobs run in parallel, ticks lock per frequency, overlapping ticks
lose nothing, and kill -9 leaves a sound state file."""
import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

from checker_harness import CHECKER, CheckerTestCase, TcpListener, wait_until


class MisbehavingJobsTest(CheckerTestCase):
    def test_each_kind_of_misbehaviour_is_a_failure_and_good_jobs_still_succeed(self):
        acts = ["segfault", "abort", "throw", "exit", "hang", "spin", "allocate"]
        # Only the hanging jobs should meet their timeout; the rest get room on a busy machine.
        self.write_config("".join("""
            [misbehave:%s]
            act = %s
            timeout = %d
            """ % (act, act, 2 if act in ("hang", "spin") else 20) for act in acts + ["succeed"]))
        started = time.monotonic()
        result = self.tick("minute", "--nomail", timeout=60)
        took = time.monotonic() - started
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertLess(took, 25)
        status = self.status()
        self.assertEqual(status["misbehave:succeed"]["state"], "succeeding")
        expected = {
            "segfault": "killed by SIGSEGV",
            "abort": "killed by SIGABRT",
            "throw": "uncaught exception: thrown by plugin",
            "exit": "exited with status 7",
            "hang": "timed out after 2 s",
            "spin": "timed out after 2 s",
            # A sanitizer build sets no address-space limit (scripts/test-sanitized.sh).
            "allocate": "timed out" if os.environ.get("CHECKER_SANITIZED") else "memory",
        }
        for act, message in expected.items():
            job = status["misbehave:" + act]
            self.assertEqual(job["state"], "failing", act)
            self.assertIn(message, job["message"], act)

    def test_hung_jobs_time_out_in_parallel(self):
        self.write_config("".join("""
            [misbehave:hang%d]
            act = hang
            timeout = 2
            """ % i for i in range(32)), general_extra="parallelism = 16\n")
        started = time.monotonic()
        result = self.tick("minute", "--nomail", timeout=60)
        took = time.monotonic() - started
        self.assertEqual(result.returncode, 1)
        # 32 jobs of 2 s on 16 workers: two rounds, not 32 s in a row.
        self.assertLess(took, 10)
        self.assertTrue(all(job["message"] == "timed out after 2 s" for job in self.status().values()))


class LockingTest(CheckerTestCase):
    def test_a_second_tick_of_the_same_frequency_exits_quietly(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:slow]
            file = %s
            sleep = 3000
            """ % counts)
        first = self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"])
        time.sleep(1)
        started = time.monotonic()
        second = self.tick("minute", timeout=30)
        self.assertEqual(second.returncode, 0)
        self.assertLess(time.monotonic() - started, 2, "the second tick must not wait for the first")
        self.assertEqual(first.wait(timeout=30), 0)
        with open(counts) as f:
            self.assertEqual(f.read().split(), ["slow"])
        self.assertIn("tick is still running", self.log())


class OverlappingTicksTest(CheckerTestCase):
    def test_a_tick_runs_every_job_the_previous_tick_of_its_frequency_is_not_still_running(self):
        listener = TcpListener()
        self.addCleanup(listener.close)
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:slow]
            file = %s
            sleep = 4000
            timeout = 20
            [tcp:fast]
            host = 127.0.0.1
            port = %d
            """ % (counts, listener.port))
        first = self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.assertTrue(wait_until(lambda: self.claimed("counter:slow") or first.poll() is not None, timeout=10))
        second = self.tick()
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertEqual(second.stdout + second.stderr, "", "quiet on success")
        _, stderr = first.communicate(timeout=30)
        self.assertEqual(first.returncode, 0, stderr)
        with open(counts) as f:
            self.assertEqual(len(f.read().split()), 1, "the slow job ran once, not twice at once")
        with self.db() as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM running").fetchone()[0], 0)

    def test_a_tick_whose_jobs_are_all_still_running_exits_quietly(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:slow]
            file = %s
            sleep = 4000
            timeout = 20
            """ % counts)
        first = self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.assertTrue(wait_until(lambda: self.claimed("counter:slow") or first.poll() is not None, timeout=10))
        second = self.tick()
        self.assertEqual((second.returncode, second.stdout, second.stderr), (0, "", ""))
        first.communicate(timeout=30)

    def claimed(self, key):
        """Whether a tick is running the job `key` now."""
        try:
            with self.db() as conn:
                return conn.execute("SELECT count(*) FROM running WHERE key = ?", (key,)).fetchone()[0] > 0
        except sqlite3.Error:
            return False

    def test_overlapping_ticks_of_different_frequencies_lose_no_update(self):
        counts = os.path.join(self.dir, "runs.txt")
        self.write_config("""
            [counter:always]
            file = %s
            succeed = false
            notify = every
            sleep = 50
            """ % counts + "".join("""
            [counter:filler%d]
            file = /dev/null
            """ % i for i in range(20)))
        rounds = 10
        for _ in range(rounds):
            ticks = [self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", frequency, "--nomail"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                     for frequency in ("minute", "hour", "day", "day_noon")]
            for tick in ticks:
                _, stderr = tick.communicate(timeout=60)
                # 1 when this tick ran the failing job; 0 when another tick was running it.
                self.assertIn(tick.returncode, (0, 1), stderr)
                self.assertNotIn(b"locked", stderr)
        with open(counts) as f:
            runs = len(f.read().split())
        # A job never runs twice at once: at least once a round, at most once a tick.
        self.assertGreaterEqual(runs, rounds)
        self.assertLessEqual(runs, 4 * rounds)
        status = self.status()
        self.assertEqual(status["counter:always"]["failures"], runs, "every run's failure is counted once")
        with self.db() as conn:
            notified = conn.execute(
                "SELECT count(*) FROM outbox WHERE job = 'counter:always' AND kind = 'failure'").fetchone()[0]
            undelivered = conn.execute("SELECT count(*) FROM outbox WHERE state != 'delivered'").fetchone()[0]
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(notified, runs, "notify = every: one notification per failing run, none twice")
        self.assertEqual(undelivered, 0)


class KillTest(CheckerTestCase):
    def test_kill_9_at_any_moment_leaves_a_sound_state_file(self):
        listener = TcpListener()
        try:
            self.write_config("""
                [counter:slowfail]
                file = /dev/null
                succeed = false
                notify = every
                sleep = 30
                """ + "".join("""
                [tcp:t%d]
                host = 127.0.0.1
                port = %d
                """ % (i, listener.port) for i in range(50)))
            rng = random.Random(7)
            for _ in range(15):
                tick = self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute", "--nomail"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.12))
                tick.send_signal(signal.SIGKILL)
                tick.wait(timeout=10)
            # Without --nomail this tick also delivers what the killed ones queued (to the log: no smtpserver).
            result = self.tick("minute")
            self.assertEqual(result.returncode, 1, result.stderr)
            with self.db() as conn:
                self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                failures = conn.execute(
                    "SELECT failures_in_a_row FROM jobs WHERE key = 'counter:slowfail'").fetchone()[0]
                notes = conn.execute(
                    "SELECT count(*) FROM outbox WHERE job = 'counter:slowfail' AND kind = 'failure'").fetchone()[0]
                queued = conn.execute(
                    "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending', 'committing')").fetchone()[0]
            # Each recorded failing run queued exactly one notification, and the last tick delivered them
            # all (a row killed past its point of no return is 'uncertain' and, by design, not resent).
            self.assertEqual(notes, failures)
            self.assertEqual(queued, 0)
            # No worker outlives its tick.
            self.assertTrue(wait_until(lambda: not self.workers_left(), timeout=5))
        finally:
            listener.close()

    def workers_left(self):
        out = subprocess.run(["pgrep", "-f", self.config], capture_output=True, text=True).stdout
        return out.strip()


if __name__ == "__main__":
    unittest.main()
