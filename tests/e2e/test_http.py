"""End to end: the http plugin against real HTTP and HTTPS servers on 127.0.0.1."""
import os
import time
import unittest

import checker_harness
from checker_harness import CheckerTestCase, free_port
from web_fixtures import STREAM_BYTES, TestCertificates, UnansweredPort, WebServer, run_measured

ROUTES = {
    "/ok": (200, "all OK"),
    "/broken": (500, "internal error"),
    "/gone": (404, "not here"),
    "/moved": (302, "", {"Location": "/ok"}),
    "/long": (200, "x" * 100 + "MARKER"),
}


class HttpTestCase(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.web = WebServer(ROUTES)
        self.addCleanup(self.web.close)

    def run_job(self, name):
        """Runs one job with -m run; returns (exit status, its message)."""
        result = self.checker("-m", "run", "--job", name)
        prefix = name + ": "
        self.assertTrue(result.stdout.startswith(prefix), result.stdout + result.stderr)
        return result.returncode, result.stdout[len(prefix):].split(": ", 1)[-1].strip()


class StatusAndBody(HttpTestCase):
    def test_expected_status_and_body_succeed_and_are_recorded(self):
        self.write_config("""
            [http:up]
            url = %s
            expect_body = OK
            [http:expects_404]
            url = %s
            expect_status = 404
            """ % (self.web.url("/ok"), self.web.url("/gone")))
        result = self.tick()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        jobs = self.status()
        self.assertEqual(jobs["http:up"]["state"], "succeeding")
        self.assertEqual(jobs["http:up"]["message"], "status 200, body contains 'OK'")
        self.assertEqual(jobs["http:expects_404"]["message"], "status 404")

    def test_unexpected_status_fails_naming_both_statuses(self):
        self.write_config("""
            [http:site]
            url = %s
            """ % self.web.url("/broken"))
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        job = self.status()["http:site"]
        self.assertEqual(job["state"], "failing")
        self.assertEqual(job["message"], "status 500, expected 200")

    def test_missing_body_text_fails_naming_the_text(self):
        self.write_config("""
            [http:site]
            url = %s
            expect_body = healthy
            """ % self.web.url("/ok"))
        self.assertEqual(self.run_job("http:site"), (1, "body does not contain 'healthy'"))

    def test_defaults_from_the_plugin_section_apply_to_its_instances(self):
        self.write_config("""
            [http]
            expect_status = 500
            [http:site]
            url = %s
            """ % self.web.url("/broken"))
        self.assertEqual(self.run_job("http:site"), (0, "status 500"))


class Redirects(HttpTestCase):
    def test_a_redirect_is_not_followed_by_default_and_the_message_says_where_it_leads(self):
        self.write_config("""
            [http:site]
            url = %s
            """ % self.web.url("/moved"))
        status, message = self.run_job("http:site")
        self.assertEqual(status, 1)
        self.assertEqual(message, "status 302, expected 200 (a redirect to %s; see follow_redirects)"
                         % self.web.url("/ok"))

    def test_follow_redirects_checks_the_final_answer(self):
        self.write_config("""
            [http:site]
            url = %s
            follow_redirects = true
            expect_body = all OK
            """ % self.web.url("/moved"))
        self.assertEqual(self.run_job("http:site"), (0, "status 200, body contains 'all OK'"))


class NetworkFailures(HttpTestCase):
    def test_a_server_that_never_answers_times_out_within_the_job_timeout(self):
        self.write_config("""
            [http:slow]
            url = %s
            timeout = 2
            """ % self.web.url("/hang"))
        started = time.monotonic()
        status, message = self.run_job("http:slow")
        elapsed = time.monotonic() - started
        self.assertEqual(status, 1)
        # The plugin's own words (the core's kill would say only "timed out after 2 s").
        self.assertEqual(message, "timed out after 2 s waiting for 127.0.0.1:%d to answer" % self.web.port)
        self.assertLess(elapsed, 10)

    def test_a_connection_that_never_opens_times_out_connecting(self):
        unanswered = UnansweredPort()
        self.addCleanup(unanswered.close)
        self.write_config("""
            [http:unreachable]
            url = http://127.0.0.1:%d/
            timeout = 2
            """ % unanswered.port)
        self.assertEqual(self.run_job("http:unreachable"),
                         (1, "timed out after 2 s connecting to 127.0.0.1:%d" % unanswered.port))

    def test_a_closed_port_is_reported_as_connection_refused(self):
        port = free_port()
        self.write_config("""
            [http:down]
            url = http://127.0.0.1:%d/
            """ % port)
        self.assertEqual(self.run_job("http:down"), (1, "connection refused by 127.0.0.1:%d" % port))


class BodyCap(HttpTestCase):
    def test_a_body_longer_than_maxbody_is_cut_and_only_the_part_read_is_searched(self):
        self.write_config("""
            [http:prefix]
            url = {url}
            expect_body = xxxx
            [http:beyond_cap]
            url = {url}
            expect_body = MARKER
            """.format(url=self.web.url("/long")), general_extra="maxbody = 16\n")
        self.assertEqual(self.run_job("http:prefix"), (0, "status 200, body contains 'xxxx'"))
        self.assertEqual(self.run_job("http:beyond_cap"),
                         (1, "body does not contain 'MARKER' in its first 16 bytes (maxbody)"))

    def test_a_200_mb_stream_is_cut_at_maxbody_quickly_and_in_little_memory(self):
        self.write_config("""
            [http:stream]
            url = %s
            expect_body = xxx
            """ % self.web.url("/stream"))
        command = [checker_harness.CHECKER, "-f", self.config, "-m", "cron", "-c", "minute"]
        status, peak_bytes, seconds = run_measured(command, self.dir)
        self.assertEqual(status, 0, self.log())
        self.assertEqual(self.status()["http:stream"]["message"], "status 200, body contains 'xxx'")
        self.assertLess(peak_bytes, 64 * 1024 * 1024)
        self.assertLess(seconds, 10)
        # The reader stopped at the 1 MiB default cap; it did not drain the rest.
        self.assertLess(self.web.streamed_bytes, STREAM_BYTES // 4)


class Https(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.certificates = TestCertificates(self.dir)

    def serve(self, certificate):
        web = WebServer(ROUTES, certificate=certificate)
        self.addCleanup(web.close)
        return web

    def test_a_self_signed_certificate_fails_verification_unless_verify_tls_is_false(self):
        web = self.serve(self.certificates.self_signed("selfsigned"))
        self.write_config("""
            [http:verified]
            url = {url}
            [http:unverified]
            url = {url}
            verify_tls = false
            """.format(url=web.url("/ok")))
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        jobs = self.status()
        self.assertEqual(jobs["http:verified"]["message"], "TLS certificate verify failed: self-signed certificate")
        self.assertEqual(jobs["http:unverified"]["state"], "succeeding")
        self.assertEqual(jobs["http:unverified"]["message"], "status 200")

    def test_cafile_trusts_a_private_ca(self):
        web = self.serve(self.certificates.leaf("localhost", days=60))
        self.write_config("""
            [http:site]
            url = %s
            expect_body = OK
            cafile = %s
            """ % (web.url("/ok", host="localhost"), self.certificates.ca_cert))
        result = self.tick()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.status()["http:site"]["message"], "status 200, body contains 'OK'")


class BadSettings(CheckerTestCase):
    def test_each_bad_value_is_reported_with_file_line_and_key_and_nothing_runs(self):
        self.write_config("""
            [http:no_url]
            expect_status = 200
            [http:ftp]
            url = ftp://example.com/
            [http:status]
            url = http://127.0.0.1:1/
            expect_status = 99
            [http:flags]
            url = http://127.0.0.1:1/
            verify_tls = maybe
            follow_redirects = often
            cafile = ca.pem
            """)
        expected = [
            ("[http:no_url]", "[http:no_url] url: is required"),
            ("url = ftp://example.com/", "[http:ftp] url: must start with http:// or https://"),
            ("expect_status = 99", "[http:status] expect_status: must be a whole number from 100 to 599"),
            ("verify_tls = maybe", "[http:flags] verify_tls: must be true or false, not 'maybe'"),
            ("follow_redirects = often", "[http:flags] follow_redirects: must be true or false, not 'often'"),
            ("cafile = ca.pem", "[http:flags] cafile: must be an absolute path"),
        ]
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2, result.stdout)
        for line_text, error in expected:
            self.assertIn("%s:%d: %s" % (self.config, self.line_of(line_text), error), result.stdout)
        tick = self.tick()
        self.assertEqual(tick.returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))

    def line_of(self, text):
        with open(self.config) as f:
            return next(number for number, line in enumerate(f, 1) if line.strip() == text)


if __name__ == "__main__":
    unittest.main()
