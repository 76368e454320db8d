"""Notifications a channel refuses for good are kept, shown and not retried
forever; `-m outbox` lists what is not delivered and `--drop` gives up on a
row; `-m notify-test` tries every channel at once. Real aiosmtpd and a real
HTTP server on 127.0.0.1."""
import json
import subprocess
import unittest

from checker_harness import CHECKER, free_port, wait_until
from mail_fixtures import MailTestCase


class Refusals(MailTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = self.start_smtp()
        self.down = free_port()

    def configure(self, extra=""):
        self.write_config(self.email_section(self.smtp.port) + extra + self.down_job(port=self.down,
                                                                                      extra="notify = every"))

    def outbox_json(self):
        result = self.checker("-m", "outbox", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)["items"]

    def test_a_550_makes_the_row_refused_shown_and_not_retried(self):
        self.configure()
        self.smtp.reject_data = "550 5.7.1 relaying denied"
        first = self.tick()
        self.assertEqual(first.returncode, 3, first.stderr)
        self.assertIn("refused", first.stderr)
        items = self.outbox_json()
        self.assertEqual([(i["state"], i["channel"]) for i in items], [("refused", "email")])
        self.assertIn("550", items[0]["last_error"])
        self.assertIn("refused", self.checker("-m", "outbox").stdout)
        # The next tick queues and refuses its own row but does not retry the first.
        attempts = items[0]["attempts"]
        self.tick()
        self.assertEqual(self.outbox_json()[0]["attempts"], attempts)
        # Once mail goes through again, the refused rows still wait for the operator.
        self.smtp.reject_data = False
        self.assertEqual(self.tick().returncode, 1)
        refused = [i for i in self.outbox_json() if i["state"] == "refused"]
        self.assertEqual(len(refused), 2)
        for item in refused:
            self.assertEqual(self.checker("-m", "outbox", "--drop", str(item["id"])).returncode, 0)
        self.assertEqual(self.outbox_json(), [])
        missing = self.checker("-m", "outbox", "--drop", "999999")
        self.assertEqual(missing.returncode, 2)
        self.assertIn("999999", missing.stderr)

    def test_a_passing_refusal_stays_queued(self):
        self.configure()
        self.smtp.reject_data = True  # 451
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual([i["state"] for i in self.outbox_json()], ["queued"])
        self.smtp.reject_data = False
        self.tick()
        self.assertEqual(self.outbox_json(), [])

    def test_the_daemon_answers_mail_problem_while_a_refused_row_waits(self):
        port = free_port()
        self.configure("[daemon]\nlisten = 127.0.0.1:%d\n" % port)
        self.smtp.reject_data = "554 no"
        self.tick()
        self.smtp.reject_data = False
        self.tick()  # a later delivery succeeds
        daemon = self.start_process([CHECKER, "-f", self.config, "-m", "daemon"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        import urllib.request

        def answer():
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2) as response:
                    return response.read().decode()
            except OSError:
                return None

        self.assertTrue(wait_until(lambda: answer() is not None, timeout=10))
        self.assertEqual(answer(), "MailProblem")
        for item in self.outbox_json():
            self.checker("-m", "outbox", "--drop", str(item["id"]))
        self.assertEqual(answer(), "True")
        daemon.terminate()

    def test_a_webhook_4xx_is_refused_for_good_and_a_5xx_is_retried(self):
        hook = self.start_webhook()
        self.write_config("[webhook]\nurl = %s\n" % hook.url + self.down_job(port=self.down, extra="notify = every"))
        hook.status = 503
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual([i["state"] for i in self.outbox_json()], ["queued"])
        hook.status = 400
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual(sorted(i["state"] for i in self.outbox_json()), ["refused", "refused"])


class NotifyTest(MailTestCase):
    def test_every_channel_gets_a_test_notification_at_once(self):
        smtp = self.start_smtp()
        hook = self.start_webhook()
        self.write_config(self.email_section(smtp.port) + "[webhook]\nurl = %s\n" % hook.url)
        result = self.checker("-m", "notify-test")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("email: delivered", result.stdout)
        self.assertIn("webhook: delivered", result.stdout)
        smtp.wait_for(1)
        self.assertIn("test notification", smtp.messages[0].subject)
        self.assertEqual(hook.requests[0]["json"]["kind"], "test")
        self.assertFalse(self.outbox_json_exists())

    def test_a_channel_that_fails_makes_it_exit_3(self):
        hook = self.start_webhook()
        self.write_config(self.email_section(free_port()) + "[webhook]\nurl = %s\n" % hook.url)
        result = self.checker("-m", "notify-test")
        self.assertEqual(result.returncode, 3)
        self.assertIn("email: FAILED", result.stdout)
        self.assertIn("webhook: delivered", result.stdout)

    def outbox_json_exists(self):
        import os
        return os.path.exists(self.statefile)


if __name__ == "__main__":
    unittest.main()
