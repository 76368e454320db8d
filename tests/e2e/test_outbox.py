"""The outbox: a notification is written to the state file
first and delivered after; one that cannot be delivered stays queued and is
retried at every later tick, and is never delivered twice, even when checker
is killed with SIGKILL in the middle of delivering it."""
import signal
import sqlite3
import subprocess
import time
import unittest

from checker_harness import CHECKER, free_port, wait_until
from mail_fixtures import MailTestCase


class Outbox(MailTestCase):
    def configure(self, smtp_port, jobs=1, email_extra=""):
        body = self.email_section(smtp_port, extra=email_extra)
        for i in range(jobs):
            body += self.down_job(name="down%d" % i, extra="notify = state_change")
        self.write_config(body)

    def state_of_row(self):
        try:
            rows = self.rows()
        except sqlite3.OperationalError:  # checker is creating the state file
            return None
        return rows[0]["state"] if rows else None

    def start_tick(self):
        """A minute tick in the background, to be killed."""
        return self.start_process([CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill_9(self, proc):
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def test_a_mail_that_cannot_be_sent_stays_queued_and_goes_out_once_the_server_is_back(self):
        port = free_port()
        self.configure(port)
        first = self.tick()
        self.assertEqual(first.returncode, 3, "3 (mail) goes before 1 (job failed)")
        (row,) = self.rows()
        self.assertEqual((row["state"], row["attempts"]), ("queued", 1))
        self.assertIn("127.0.0.1:%d" % port, row["last_error"])
        self.assertIn("could not deliver failure notification for tcp:down0", self.log())

        self.assertEqual(self.tick().returncode, 3)
        (row,) = self.rows()
        self.assertEqual((row["state"], row["attempts"]), ("queued", 2))

        smtp = self.start_smtp(port=port)
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(smtp.wait_for(1)), 1)
        self.assertEqual(self.state_of_row(), "delivered")
        self.assertEqual(self.tick().returncode, 1)
        time.sleep(0.2)
        self.assertEqual(len(smtp.messages), 1)

    def test_a_mail_refused_at_the_end_of_data_is_sent_again_later(self):
        smtp = self.start_smtp()
        smtp.reject_data = True
        self.configure(smtp.port)
        self.assertEqual(self.tick().returncode, 3)
        (row,) = self.rows()
        self.assertEqual(row["state"], "queued")
        self.assertIn("451", row["last_error"])
        smtp.reject_data = False
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(smtp.wait_for(1)), 1)
        self.assertEqual(self.state_of_row(), "delivered")

    def test_kill_9_before_the_end_of_data_sends_the_mail_at_the_next_tick_exactly_once(self):
        smtp = self.start_smtp()
        smtp.hold("RCPT")
        self.configure(smtp.port)
        proc = self.start_tick()
        self.assertTrue(wait_until(lambda: self.state_of_row() == "sending", timeout=10))
        self.kill_9(proc)
        smtp.release()
        self.assertEqual(self.state_of_row(), "sending")

        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(smtp.wait_for(1)), 1)
        self.assertEqual(self.state_of_row(), "delivered")
        self.tick()
        time.sleep(0.2)
        self.assertEqual(len(smtp.messages), 1)

    def test_kill_9_after_the_end_of_data_never_sends_the_mail_twice(self):
        smtp = self.start_smtp()
        smtp.hold("DATA")
        self.configure(smtp.port)
        proc = self.start_tick()
        self.assertTrue(smtp.data_started.wait(timeout=10))
        self.assertEqual(self.state_of_row(), "committing")
        self.kill_9(proc)
        smtp.release()
        self.assertEqual(len(smtp.messages), 1)  # the server had the whole message

        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(self.state_of_row(), "uncertain")
        self.assertIn("may or may not have been delivered", self.log())
        self.tick()
        time.sleep(0.2)
        self.assertEqual(len(smtp.messages), 1)

    def test_a_mail_whose_answer_never_came_is_not_sent_again(self):
        smtp = self.start_smtp()
        smtp.hold("DATA")
        self.configure(smtp.port)
        proc = self.start_tick()
        self.assertTrue(smtp.data_started.wait(timeout=10))
        smtp.stop()  # the server has the message but drops the connection before answering
        self.assertEqual(proc.wait(timeout=30), 1, "1: the job failed; no mail is left queued")
        self.assertEqual(self.state_of_row(), "uncertain")
        self.assertIn("may or may not have been delivered", self.log())

        again = self.start_smtp(port=smtp.port)
        self.assertEqual(self.tick().returncode, 1)
        time.sleep(0.2)
        self.assertEqual((len(smtp.messages), len(again.messages)), (1, 0))

    def test_an_unreachable_server_costs_one_timeout_per_tick_not_one_per_mail(self):
        silent = self.listen_on(free_port())  # accepts connections, never greets
        self.configure(silent.sock.getsockname()[1], jobs=3)
        started = time.monotonic()
        self.assertEqual(self.tick(timeout=60).returncode, 3)
        seconds = time.monotonic() - started
        self.assertLess(seconds, 20)  # one 10 s connect timeout, not three
        rows = self.rows()
        self.assertEqual([row["state"] for row in rows], ["queued"] * 3)
        self.assertRegex(rows[0]["last_error"], "timed out|timeout")
        self.assertTrue(all(row["last_error"].startswith("not tried: ") for row in rows[1:]))

    def test_nomail_prints_the_notification_and_marks_it_delivered(self):
        smtp = self.start_smtp()
        self.configure(smtp.port)
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 1)
        self.assertIn("NOT SENT (nomail): failure notification for tcp:down0", result.stdout)
        self.assertIn("Subject: [testhost] tcp:down0 failed", result.stdout)
        self.assertEqual(self.state_of_row(), "delivered")
        self.assertIn("nomail: not sent", self.log())
        self.assertEqual(smtp.messages, [])

    def test_a_nomail_run_leaves_mail_queued_during_an_outage_for_the_mail_server(self):
        port = free_port()
        self.configure(port, jobs=1)
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual(self.state_of_row(), "queued")
        with self.db() as conn:
            conn.execute("UPDATE jobs SET failing = 0, failures_in_a_row = 0, notified_in_streak = 0")
        nomail = self.tick("minute", "--nomail")
        self.assertIn("NOT SENT (nomail)", nomail.stdout, "this tick's own notification is printed")
        states = [row["state"] for row in self.rows()]
        self.assertEqual(states, ["queued", "delivered"], "the older one still waits for the mail server")
        smtp = self.start_smtp(port=port)
        self.tick()
        self.assertEqual(len(smtp.wait_for(1)), 1)

    def test_nomail_in_settings_does_the_same(self):
        smtp = self.start_smtp()
        self.configure(smtp.port, email_extra="nomail = true")
        result = self.tick()
        self.assertEqual(result.returncode, 1)
        self.assertIn("NOT SENT (nomail)", result.stdout)
        self.assertEqual(self.state_of_row(), "delivered")
        self.assertEqual(smtp.messages, [])


if __name__ == "__main__":
    unittest.main()
