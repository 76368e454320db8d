"""Email: the notification policy as mail a real SMTP server receives, the
message's headers, SMTP security, and the email:roundtrip job against a real
IMAP server (Dovecot). Servers run on 127.0.0.1; nothing sleeps for minutes:
time-based policies are exercised by moving last_notify back in the state
file."""
import email.utils
import os
import re
import time
import unittest

from checker_harness import TEST_PLUGIN_DIR, free_port
from mail_fixtures import ACCOUNT, PASSWORD, MailTestCase, certificate


class PolicyThroughSmtp(MailTestCase):
    """The notification policy, observed as the mail that arrives."""

    def setUp(self):
        super().setUp()
        self.smtp = self.start_smtp()
        self.port = free_port()

    def configure(self, policy):
        self.write_config(self.email_section(self.smtp.port) + self.down_job(port=self.port, extra=policy))

    def ticks(self, count):
        """Runs `count` minute ticks; returns how many mails each one sent."""
        sent = []
        for _ in range(count):
            before = len(self.smtp.messages)
            result = self.tick()
            self.assertIn(result.returncode, (0, 1), result.stderr + self.log())
            sent.append(len(self.smtp.messages) - before)
        return sent

    def move_last_notify_back(self, seconds):
        with self.db() as conn:
            conn.execute("UPDATE jobs SET last_notify = ? WHERE name = 'tcp:down'", (int(time.time()) - seconds,))

    def test_every_mails_on_each_failing_tick(self):
        self.configure("notify = every")
        self.assertEqual(self.ticks(3), [1, 1, 1])
        self.assertTrue(all("tcp:down" in m.subject for m in self.smtp.messages))

    def test_state_change_mails_once_then_one_recovery_when_the_port_opens(self):
        self.configure("notify = state_change")
        self.assertEqual(self.ticks(3), [1, 0, 0])
        self.listen_on(self.port)
        self.assertEqual(self.ticks(2), [1, 0])
        recovery = self.smtp.messages[-1]
        # It says how long the job was failing: three failing ticks, seconds apart.
        self.assertRegex(recovery.subject, r"^\[testhost\] tcp:down recovered after \d+ s, 3 failures$")
        self.assertIn("failing since: ", recovery.body)

    def test_state_change_with_min_3_mails_on_exactly_the_third_failure(self):
        self.configure("notify = state_change\nfailures_before_notify = 3")
        self.assertEqual(self.ticks(5), [0, 0, 1, 0, 0])

    def test_every_with_min_3_mails_from_the_third_failure_on(self):
        self.configure("notify = every\nfailures_before_notify = 3")
        self.assertEqual(self.ticks(4), [0, 0, 1, 1])

    def test_no_recovery_mail_after_a_streak_that_never_notified(self):
        self.configure("notify = state_change\nfailures_before_notify = 3")
        self.assertEqual(self.ticks(2), [0, 0])
        self.listen_on(self.port)
        self.assertEqual(self.ticks(1), [0])

    def test_notify_recovery_false_sends_no_recovery(self):
        self.configure("notify = every\nnotify_recovery = false")
        self.assertEqual(self.ticks(1), [1])
        self.listen_on(self.port)
        self.assertEqual(self.ticks(1), [0])

    def test_timed_policies_mail_again_only_after_their_interval(self):
        # The renotify thresholds, with 10 s to spare on either side.
        for notify, seconds in (("5min", 270), ("10min", 555), ("hour", 3540), ("day", 85800)):
            with self.subTest(notify=notify):
                # The -wal and -shm files persist beside the state file: a new
                # state file must not meet the old one's.
                for path in (self.statefile, self.statefile + "-wal", self.statefile + "-shm"):
                    if os.path.exists(path):
                        os.remove(path)
                self.configure("notify = " + notify)
                self.assertEqual(self.ticks(2), [1, 0])
                self.move_last_notify_back(seconds - 10)
                self.assertEqual(self.ticks(1), [0])
                self.move_last_notify_back(seconds + 10)
                self.assertEqual(self.ticks(2), [1, 0])


class MessageFormat(MailTestCase):
    def test_headers_of_a_failure_mail(self):
        smtp = self.start_smtp()
        self.write_config(self.email_section(smtp.port, extra="user = " + ACCOUNT)
                          + self.down_job(extra="notify = every\nalertcontact = a@example.com, b@example.com"))
        before = time.time()
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(self.tick().returncode, 1)
        first, second = smtp.wait_for(2)
        message = first.message
        self.assertEqual(first.mail_from, ACCOUNT)
        self.assertEqual(first.rcpt_tos, ["a@example.com", "b@example.com"])
        self.assertEqual(message["From"], ACCOUNT)
        self.assertEqual(message["To"], "a@example.com, b@example.com")
        self.assertRegex(first.subject, r"^\[testhost\] tcp:down failed: cannot connect to 127\.0\.0\.1:\d+")
        sent = email.utils.parsedate_to_datetime(message["Date"]).timestamp()
        self.assertLessEqual(abs(sent - before), 5)
        self.assertRegex(message["Message-ID"], r"^<[^<>@\s]+@testhost>$")
        self.assertNotEqual(message["Message-ID"], second.message["Message-ID"])
        self.assertEqual(message["MIME-Version"], "1.0")
        self.assertEqual(message.get_content_type(), "text/plain")
        self.assertEqual(message.get_content_charset(), "utf-8")
        self.assertIn("job: tcp:down", message.get_content())
        self.assertTrue(first.data.endswith(b"\r\n") and b"\r\n\r\n" in first.data)

    def test_46_recipients_arrive_with_to_folded_into_short_lines(self):
        smtp = self.start_smtp()
        recipients = ["team-member-%02d@example.com" % i for i in range(46)]
        contact = ",\n  ".join(", ".join(recipients[i:i + 4]) for i in range(0, 46, 4))
        self.write_config(self.email_section(smtp.port) + self.down_job(extra="alertcontact = " + contact))
        self.assertEqual(self.tick().returncode, 1, self.log())
        (mail,) = smtp.wait_for(1)
        self.assertEqual(mail.rcpt_tos, recipients)
        header = mail.data.split(b"\r\n\r\n")[0].decode()
        to_lines = re.search(r"^To: .*?(?=\r\n\S)", header, re.M | re.S).group(0).split("\r\n")
        self.assertGreater(len(to_lines), 1)
        self.assertLessEqual(max(len(line) for line in to_lines), 78)
        self.assertEqual([a.strip() for a in str(mail.message["To"]).replace("\r\n", "").split(",")], recipients)

    def test_from_is_checker_at_servername_without_a_user(self):
        smtp = self.start_smtp()
        self.write_config(self.email_section(smtp.port) + self.down_job())
        self.tick()
        (mail,) = smtp.wait_for(1)
        self.assertEqual(mail.message["From"], "checker@testhost")
        self.assertEqual(mail.mail_from, "checker@testhost")

    @unittest.skipUnless(TEST_PLUGIN_DIR, "needs the test plugins (CHECKER_TEST_PLUGINS)")
    def test_cr_and_lf_in_a_job_message_never_reach_a_header(self):
        smtp = self.start_smtp()
        self.write_config(self.email_section(smtp.port) + "[misbehave:inject]\nact = newline\n")
        self.assertEqual(self.tick().returncode, 1)
        (mail,) = smtp.wait_for(1)
        self.assertEqual(mail.rcpt_tos, ["ops@example.com"])
        self.assertIsNone(mail.message["Bcc"])
        self.assertEqual(sorted(mail.message.keys()),
                         sorted(["Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type",
                                 "Content-Transfer-Encoding"]))
        self.assertIn("line one", mail.subject)
        self.assertNotRegex(mail.subject, "[\r\n]")
        header_block = mail.data.split(b"\r\n\r\n", 1)[0]
        self.assertFalse(re.search(rb"^Bcc:", header_block, re.M))

    def test_a_non_ascii_subject_is_encoded(self):
        smtp = self.start_smtp()
        self.write_config(self.email_section(smtp.port) + self.down_job(name="d\u00e9j\u00e0-vu"))
        self.tick()
        (mail,) = smtp.wait_for(1)
        header_block = mail.data.split(b"\r\n\r\n", 1)[0]
        self.assertIn(b"=?utf-8?B?", header_block)
        self.assertTrue(all(byte < 128 for byte in header_block))
        self.assertTrue(mail.subject.startswith("[testhost] tcp:d\u00e9j\u00e0-vu failed"), mail.subject)

    def test_bustgmailthreading_appends_a_random_number_to_the_subject(self):
        smtp = self.start_smtp()
        self.write_config(self.email_section(smtp.port, extra="bustgmailthreading = true")
                          + self.down_job(extra="notify = every"))
        for _ in range(3):
            self.tick()
        subjects = [m.subject for m in smtp.wait_for(3)]
        base = re.match(r"^(.*Connection refused) \d+$", subjects[0]).group(1)
        for subject in subjects:
            self.assertRegex(subject, "^" + re.escape(base) + r" \d+$")
        self.assertGreater(len(set(subjects)), 1)


class SmtpSecurity(MailTestCase):
    def tls_config(self, smtp, security, cafile=True, password=PASSWORD):
        extra = "user = %s\npass = %s\n" % (ACCOUNT, password)
        if cafile:
            extra += "cafile = %s\n" % certificate()[0]
        self.write_config(self.email_section(smtp.port, security, extra) + self.down_job())

    def test_starttls_with_auth_delivers_and_never_shows_the_password(self):
        smtp = self.start_smtp(security="starttls", auth=True)
        self.tls_config(smtp, "starttls")
        result = self.tick("minute", "-d")
        self.assertEqual(result.returncode, 1, result.stderr)
        (mail,) = smtp.wait_for(1)
        self.assertEqual(mail.login, ACCOUNT)
        for text in (result.stdout, result.stderr, self.log()):
            self.assertNotIn(PASSWORD, text)

    def test_implicit_tls_delivers(self):
        smtp = self.start_smtp(security="tls", auth=True)
        self.tls_config(smtp, "tls")
        self.assertEqual(self.tick().returncode, 1)
        self.assertEqual(smtp.wait_for(1)[0].login, ACCOUNT)

    def test_an_untrusted_certificate_is_refused_and_the_mail_stays_queued(self):
        smtp = self.start_smtp(security="starttls", auth=True)
        self.tls_config(smtp, "starttls", cafile=False)
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual(smtp.messages, [])
        (row,) = self.rows()
        self.assertEqual(row["state"], "queued")
        self.assertRegex(row["last_error"], "(?i)certificate")

    def test_a_server_without_starttls_is_refused_when_starttls_is_required(self):
        smtp = self.start_smtp(security="none")
        self.tls_config(smtp, "starttls")
        self.assertEqual(self.tick().returncode, 3)
        self.assertEqual(smtp.messages, [])

    def test_a_wrong_password_keeps_the_mail_queued_and_is_not_logged(self):
        smtp = self.start_smtp(security="starttls", auth=True)
        self.tls_config(smtp, "starttls", password="not-the-Pa55word")
        result = self.tick()
        self.assertEqual(result.returncode, 3)
        (row,) = self.rows()
        self.assertEqual(row["state"], "queued")
        self.assertNotIn("not-the-Pa55word", self.log() + result.stderr + row["last_error"])


class RoundTrip(MailTestCase):
    """email:roundtrip mails a token to its own account and finds it in Dovecot."""

    def setUp(self):
        super().setUp()
        self.dovecot = self.start_dovecot()

    def configure(self, smtp_port, extra="", timeout=8, imap_port=None, smtpsecurity="none", imapsecurity="none"):
        self.write_config(self.email_section(
            smtp_port, smtpsecurity, extra="user = %s\npass = %s\nimapserver = 127.0.0.1\nimapport = %d\nimapsecurity = %s\n%s"
            % (ACCOUNT, PASSWORD, imap_port or self.dovecot.port, imapsecurity, extra))
            + "[email:roundtrip]\ntimeout = %d\n" % timeout)

    def run_round_trip(self):
        started = time.monotonic()
        result = self.checker("-m", "run", "--job", "email:roundtrip")
        return result, time.monotonic() - started

    def test_the_job_exists_hourly_only_when_imapserver_is_set(self):
        self.configure(free_port())
        listing = self.checker("-m", "list").stdout
        self.assertRegex(listing, r"email:roundtrip\s+email\s+hour")
        self.write_config(self.email_section(free_port()))
        self.assertNotIn("email:roundtrip", self.checker("-m", "list").stdout)

    def test_the_mail_goes_round_and_is_found_over_imap(self):
        smtp = self.start_smtp(maildir_folder=self.dovecot.folder(""))
        self.configure(smtp.port)
        result, seconds = self.run_round_trip()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr + self.dovecot.read_log())
        self.assertIn("email:roundtrip: OK", result.stdout)
        (mail,) = smtp.messages
        self.assertEqual(mail.mail_from, ACCOUNT)
        self.assertEqual(mail.rcpt_tos, [ACCOUNT])
        self.assertRegex(mail.subject, r"^checker round trip [0-9a-f]{32}$")
        self.assertLess(seconds, 5)

    def test_a_mail_that_arrives_late_is_still_found(self):
        smtp = self.start_smtp(maildir_folder=self.dovecot.folder(""))
        smtp.delivery_delay = 2.5
        self.configure(smtp.port)
        result, seconds = self.run_round_trip()
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertGreater(seconds, 2.5)

    def test_over_starttls_and_imaps_with_a_cafile(self):
        self.dovecot.remove()
        self.dovecot = self.start_dovecot(tls=True)
        smtp = self.start_smtp(security="starttls", auth=True, maildir_folder=self.dovecot.folder(""))
        self.configure(smtp.port, extra="cafile = %s\n" % certificate()[0], smtpsecurity="starttls",
                       imapsecurity="tls")
        result, _ = self.run_round_trip()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr + self.dovecot.read_log())
        self.assertEqual(smtp.messages[0].login, ACCOUNT)

    def test_with_ideletesentmessagesautomatically_it_looks_in_imapfolder(self):
        smtp = self.start_smtp(maildir_folder=self.dovecot.folder("Trash"))
        self.configure(smtp.port, extra="ideletesentmessagesautomatically = true\nimapfolder = Trash\n")
        result, _ = self.run_round_trip()
        self.assertEqual(result.returncode, 0, result.stdout + self.dovecot.read_log())
        self.assertIn("Trash", result.stdout)

    def test_fails_when_the_mail_never_arrives(self):
        smtp = self.start_smtp()  # accepts the mail but delivers it nowhere
        self.configure(smtp.port, timeout=5)
        result, seconds = self.run_round_trip()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"FAILED: sent the round-trip mail [0-9a-f]{32}, but it was not in INBOX")
        self.assertLess(seconds, 5 + 2)

    def test_fails_when_the_imap_server_is_down(self):
        smtp = self.start_smtp(maildir_folder=self.dovecot.folder(""))
        self.dovecot.stop()
        self.configure(smtp.port)
        result, seconds = self.run_round_trip()
        self.assertEqual(result.returncode, 1)
        self.assertIn("could not search INBOX", result.stdout)
        self.assertLess(seconds, 5)

    def test_fails_when_the_smtp_server_is_down(self):
        self.configure(free_port())
        result, _ = self.run_round_trip()
        self.assertEqual(result.returncode, 1)
        self.assertIn("could not send the round-trip mail", result.stdout)

    def test_a_failed_round_trip_is_a_failing_job_on_the_hour_tick(self):
        smtp = self.start_smtp()
        self.configure(smtp.port, timeout=3)
        self.assertEqual(self.tick("minute").returncode, 0)
        self.assertEqual(self.status()["email:roundtrip"]["state"], "never_run")
        self.assertEqual(self.tick("hour").returncode, 1)
        self.assertEqual(self.status()["email:roundtrip"]["state"], "failing")


if __name__ == "__main__":
    unittest.main()
