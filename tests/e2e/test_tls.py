"""End to end: the tls plugin against HTTPS servers on 127.0.0.1 whose
certificates are made at test time by the openssl command."""
import os
import socket
import time
import unittest

from checker_harness import CheckerTestCase
from web_fixtures import TestCertificates, WebServer, not_after


class TlsTestCase(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.certificates = TestCertificates(self.dir)

    def serve(self, certificate):
        web = WebServer({"/": (200, "hello")}, certificate=certificate)
        self.addCleanup(web.close)
        return web

    def run_job(self, name):
        """Runs one job with -m run; returns (exit status, its message)."""
        self.started = time.time()
        result = self.checker("-m", "run", "--job", name)
        self.finished = time.time()
        prefix = name + ": "
        self.assertTrue(result.stdout.startswith(prefix), result.stdout + result.stderr)
        return result.returncode, result.stdout[len(prefix):].split(": ", 1)[-1].strip()

    def tick(self, *args, **kwargs):
        self.started = time.time()
        result = super().tick(*args, **kwargs)
        self.finished = time.time()
        return result

    def expiry_messages(self, certfile, after_days=""):
        """What the plugin may say of `certfile` in the last run. It counts whole
        days left from the second it ran in, and a fresh certificate's expiry is
        a whole number of days from about then, so either end of the run counts."""
        end = not_after(certfile)
        date = time.strftime("%Y-%m-%d", time.gmtime(end))
        return {"certificate expires %s (%d days left%s)" % (date, (end - int(second)) // 86400, after_days)
                for second in (self.started, self.finished)}


class Expiry(TlsTestCase):
    def test_a_certificate_valid_beyond_days_succeeds(self):
        certificate = self.certificates.leaf("localhost", days=60)
        web = self.serve(certificate)
        self.write_config("""
            [tls:site]
            host = localhost:%d
            cafile = %s
            """ % (web.port, self.certificates.ca_cert))
        result = self.tick()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        job = self.status()["tls:site"]
        self.assertEqual(job["state"], "succeeding")
        self.assertIn(job["message"], self.expiry_messages(certificate[0]))
        self.assertIn("localhost", web.sni_names)

    def test_a_certificate_expiring_within_days_fails_naming_date_and_days_left(self):
        certificate = self.certificates.leaf("localhost", days=10)
        web = self.serve(certificate)
        self.write_config("""
            [tls:site]
            host = 127.0.0.1:%d
            days = 30
            cafile = %s
            """ % (web.port, self.certificates.ca_cert))
        result = self.tick()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        job = self.status()["tls:site"]
        self.assertEqual(job["state"], "failing")
        self.assertIn(job["message"], self.expiry_messages(certificate[0], ", fewer than 30"))

    def test_days_sets_the_warning_threshold(self):
        certificate = self.certificates.leaf("localhost", days=10)
        web = self.serve(certificate)
        self.write_config("""
            [tls:site]
            host = 127.0.0.1:%d
            days = 5
            cafile = %s
            """ % (web.port, self.certificates.ca_cert))
        status, message = self.run_job("tls:site")
        self.assertEqual(status, 0, message)
        self.assertIn(message, self.expiry_messages(certificate[0]))


class Verification(TlsTestCase):
    def test_an_expired_certificate_fails_verification_or_names_its_expiry(self):
        certificate = self.certificates.leaf("localhost", days=-3)
        web = self.serve(certificate)
        self.write_config("""
            [tls:verified]
            host = 127.0.0.1:{port}
            cafile = {ca}
            [tls:unverified]
            host = 127.0.0.1:{port}
            verify_tls = false
            """.format(port=web.port, ca=self.certificates.ca_cert))
        self.assertEqual(self.run_job("tls:verified"), (1, "TLS certificate verify failed: certificate has expired"))
        expired = time.strftime("%Y-%m-%d", time.gmtime(not_after(certificate[0])))
        self.assertEqual(self.run_job("tls:unverified"), (1, "certificate expired " + expired))

    def test_a_self_signed_certificate_fails_unless_verify_tls_is_false(self):
        certificate = self.certificates.self_signed("selfsigned", days=90)
        web = self.serve(certificate)
        self.write_config("""
            [tls:verified]
            host = 127.0.0.1:{port}
            [tls:unverified]
            host = 127.0.0.1:{port}
            verify_tls = false
            """.format(port=web.port))
        self.assertEqual(self.run_job("tls:verified"), (1, "TLS certificate verify failed: self-signed certificate"))
        status, message = self.run_job("tls:unverified")
        self.assertEqual(status, 0, message)
        self.assertIn(message, self.expiry_messages(certificate[0]))

    def test_a_certificate_for_another_host_name_fails(self):
        web = self.serve(self.certificates.leaf("elsewhere", days=60, alt_names="DNS:elsewhere.example"))
        self.write_config("""
            [tls:site]
            host = 127.0.0.1:%d
            cafile = %s
            """ % (web.port, self.certificates.ca_cert))
        self.assertEqual(self.run_job("tls:site"), (1, "TLS certificate verify failed: no alternative certificate "
                                                       "subject name matches target host name '127.0.0.1'"))


class Failures(TlsTestCase):
    def test_a_server_that_does_not_speak_tls_is_a_handshake_failure(self):
        plain = self.serve(certificate=None)
        self.write_config("""
            [tls:site]
            host = 127.0.0.1:%d
            """ % plain.port)
        status, message = self.run_job("tls:site")
        self.assertEqual(status, 1)
        self.assertTrue(message.startswith("TLS handshake with 127.0.0.1:%d failed: " % plain.port), message)
        self.assertIn("wrong version number", message)

    def test_a_server_that_never_handshakes_times_out(self):
        silent = socket.socket()
        self.addCleanup(silent.close)
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes connections; nobody answers
        port = silent.getsockname()[1]
        self.write_config("""
            [tls:site]
            host = 127.0.0.1:%d
            timeout = 2
            """ % port)
        started = time.monotonic()
        self.assertEqual(self.run_job("tls:site"), (1, "timed out after 2 s waiting for 127.0.0.1:%d to answer" % port))
        self.assertLess(time.monotonic() - started, 10)

    def test_the_port_defaults_to_443(self):
        with socket.socket() as probe:
            probe.settimeout(2)
            if probe.connect_ex(("127.0.0.1", 443)) == 0:
                self.skipTest("something listens on 127.0.0.1:443")
        self.write_config("""
            [tls:site]
            host = 127.0.0.1
            """)
        self.assertEqual(self.run_job("tls:site"), (1, "connection refused by 127.0.0.1:443"))


class BadSettings(CheckerTestCase):
    def test_each_bad_value_is_reported_with_file_line_and_key_and_nothing_runs(self):
        self.write_config("""
            [tls:no_host]
            days = 30
            [tls:port]
            host = example.com:99999
            [tls:path]
            host = example.com/health
            [tls:flags]
            host = example.com
            days = soon
            verify_tls = maybe
            """)
        expected = [
            ("[tls:no_host]", "[tls:no_host] host: is required"),
            ("host = example.com:99999", "[tls:port] host: must be HOST or HOST:PORT"),
            ("host = example.com/health", "[tls:path] host: must be HOST or HOST:PORT"),
            ("days = soon", "[tls:flags] days: must be a whole number from 0 to 3650, not 'soon'"),
            ("verify_tls = maybe", "[tls:flags] verify_tls: must be true or false, not 'maybe'"),
        ]
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2, result.stdout)
        with open(self.config) as f:
            lines = [line.strip() for line in f]
        for line_text, error in expected:
            self.assertIn("%s:%d: %s" % (self.config, lines.index(line_text) + 1, error), result.stdout)
        self.assertEqual(self.tick().returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))


if __name__ == "__main__":
    unittest.main()
