"""The webhook channel: each notification is POSTed as
{"server", "job", "kind", "subject", "body", "time"} to [webhook] url; an
answer other than 2xx, or none in time, leaves it queued for the next tick."""
import calendar
import time
import unittest

from checker_harness import free_port, wait_until
from mail_fixtures import MailTestCase


class Webhook(MailTestCase):
    def configure(self, url, webhook_extra="", email=""):
        self.port = getattr(self, "port", None) or free_port()
        self.write_config("[webhook]\nurl = %s\n%s\n" % (url, webhook_extra) + email
                          + self.down_job(port=self.port, extra="notify = state_change"))

    def test_posts_the_json_object_of_a_failure_and_of_its_recovery(self):
        hook = self.start_webhook()
        self.configure(hook.url)
        before = int(time.time())
        self.assertEqual(self.tick().returncode, 1)
        (request,) = hook.requests
        self.assertEqual(request["path"], "/hook")
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        failure = request["json"]
        self.assertEqual(sorted(failure), ["body", "job", "kind", "server", "subject", "time"])
        self.assertEqual(failure["server"], "testhost")
        self.assertEqual(failure["job"], "tcp:down")
        self.assertEqual(failure["kind"], "failure")
        self.assertRegex(failure["subject"], r"^\[testhost\] tcp:down failed: cannot connect to 127\.0\.0\.1:\d+")
        self.assertIn("job: tcp:down", failure["body"])
        sent = calendar.timegm(time.strptime(failure["time"], "%Y-%m-%dT%H:%M:%SZ"))
        self.assertLessEqual(abs(sent - before), 5)

        self.listen_on(self.port)
        self.assertEqual(self.tick().returncode, 0)
        recovery = hook.requests[-1]["json"]
        self.assertEqual((recovery["kind"], recovery["job"]), ("recovery", "tcp:down"))
        self.assertRegex(recovery["subject"], r"^\[testhost\] tcp:down recovered after \d+ s, 1 failure$")

    def test_missed_ticks_are_posted_as_their_own_kind(self):
        hook = self.start_webhook()
        self.configure(hook.url)
        self.tick()
        with self.db() as conn:
            conn.execute("UPDATE ticks SET started = started - 3600")
        self.tick()
        kinds = [(body["kind"], body["job"]) for body in hook.accepted]
        self.assertIn(("missed_ticks", "checker:ticks"), kinds)

    def test_a_webhook_that_is_down_gets_the_notification_once_it_is_back(self):
        port = free_port()
        hook_url = "http://127.0.0.1:%d/hook?token=SECRET-TOKEN" % port
        self.configure(hook_url)
        self.assertEqual(self.tick().returncode, 3)
        (row,) = self.rows("webhook")
        self.assertEqual(row["state"], "queued")
        self.assertNotIn("SECRET-TOKEN", self.log() + row["last_error"])
        self.assertEqual(self.tick().returncode, 3)

        hook = self.start_webhook(port=port)
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(hook.accepted), 1)
        self.assertEqual(self.rows("webhook")[0]["state"], "delivered")
        self.tick()
        self.assertEqual(len(hook.requests), 1)

    def test_an_answer_other_than_2xx_is_a_failure_and_is_retried(self):
        hook = self.start_webhook()
        hook.status, hook.answer = 500, b"internal trouble"
        self.configure(hook.url)
        self.assertEqual(self.tick().returncode, 3)
        (row,) = self.rows("webhook")
        self.assertEqual(row["state"], "queued")
        self.assertIn("HTTP 500: internal trouble", row["last_error"])

        hook.status, hook.answer = 204, b""
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(self.rows("webhook")[0]["state"], "delivered")
        self.tick()
        self.assertEqual([r["status"] for r in hook.requests], [500, 204])

    def test_a_webhook_that_never_answers_times_out_and_is_not_posted_twice(self):
        hook = self.start_webhook()
        hook.delay = 3
        self.configure(hook.url, webhook_extra="timeout = 1")
        started = time.monotonic()
        self.assertEqual(self.tick().returncode, 1, "the request went out whole: not queued again")
        self.assertLess(time.monotonic() - started, 3)
        (row,) = self.rows("webhook")
        self.assertEqual(row["state"], "uncertain")
        self.assertIn("timed out", row["last_error"])
        self.assertIn("may or may not have been delivered", self.log())
        self.tick()
        self.assertTrue(wait_until(lambda: len(hook.requests) == 1, timeout=5))
        time.sleep(0.2)
        self.assertEqual(len(hook.requests), 1)

    def test_a_huge_answer_is_not_read_to_its_end(self):
        hook = self.start_webhook()
        hook.answer = b"x" * (8 << 20)
        self.configure(hook.url)
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(self.rows("webhook")[0]["state"], "delivered")

    def test_each_channel_is_retried_on_its_own(self):
        hook = self.start_webhook()
        smtp_port = free_port()
        self.configure(hook.url, email=self.email_section(smtp_port))
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual({row["channel"]: row["state"] for row in self.rows()},
                         {"email": "queued", "webhook": "delivered"})
        smtp = self.start_smtp(port=smtp_port)
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(len(smtp.wait_for(1)), 1)
        self.assertEqual(len(hook.requests), 1)

    def test_nomail_logs_what_the_webhook_would_get_instead_of_posting_it(self):
        hook = self.start_webhook()
        self.configure(hook.url)
        result = self.tick("minute", "--nomail")
        self.assertEqual(result.returncode, 1)
        self.assertIn("NOT SENT (nomail, webhook)", result.stdout)
        self.assertEqual(hook.requests, [])
        self.assertEqual({row["state"] for row in self.rows()}, {"delivered"})


if __name__ == "__main__":
    unittest.main()
