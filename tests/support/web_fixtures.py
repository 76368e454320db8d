"""Web servers and certificates for the end-to-end tests of the http and tls
plugins.

WebServer is Python's http.server in a thread on 127.0.0.1 (a port the kernel
picks), plain HTTP or, given a certificate, HTTPS. It answers the routes a test
gives it plus three of its own:

  /hang     never answers (until the server is closed, at most HANG_SECONDS)
  /stream   a 200 MB body; `streamed_bytes` says how much of it got out
  anything else without a route: 404

UnansweredPort is a port whose TCP connections never complete, and
TestCertificates makes a private CA and leaf certificates with the `openssl`
command in a test's directory. Every wait is bounded.
"""
import http.server
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

HANG_SECONDS = 60
STREAM_BYTES = 200 * 1024 * 1024


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        web = self.server.web
        path = self.path.split("?", 1)[0]
        if path == "/hang":
            web.closing.wait(HANG_SECONDS)
        elif path == "/stream":
            self._stream(web)
        else:
            status, body, *headers = web.routes.get(path, (404, "no such route"))
            self._answer(status, body, headers[0] if headers else {})

    def _answer(self, status, body, headers):
        data = body.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, web):
        self.send_response(200)
        self.send_header("Content-Length", str(STREAM_BYTES))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while web.streamed_bytes < STREAM_BYTES and not web.closing.is_set():
                self.wfile.write(chunk)
                web.streamed_bytes += len(chunk)
        except OSError:
            pass  # the client stopped reading: what a capped reader should do


class WebServer:
    """An HTTP server on 127.0.0.1. `routes` maps a path to (status, body) or
    (status, body, {header: value}). With `certificate` = (certfile, keyfile)
    it serves HTTPS and records the SNI names clients sent in `sni_names`."""

    def __init__(self, routes=None, certificate=None):
        self.routes = routes or {}
        self.closing = threading.Event()
        self.streamed_bytes = 0
        self.sni_names = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.web = self
        self.scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            context.sni_callback = lambda sock, name, ctx: self.sni_names.append(name)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def url(self, path, host="127.0.0.1"):
        return "%s://%s:%d%s" % (self.scheme, host, self.port, path)

    def close(self):
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


class UnansweredPort:
    """A port on 127.0.0.1 whose TCP connections never complete: its listen
    queue is full and never accepted from, so the kernel drops new SYNs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.port))
            self.fillers.append(filler)

    def close(self):
        for filler in self.fillers:
            filler.close()
        self.sock.close()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


class TestCertificates:
    """A private CA in `directory`, and leaf certificates it signs with
    `openssl ca` (which, unlike `openssl x509`, takes any expiry date)."""

    _KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _CA_CONFIG = """
[ca]
default_ca = test_ca
[test_ca]
database = index.txt
serial = serial
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any_name
copy_extensions = copy
unique_subject = no
[any_name]
commonName = supplied
"""

    def __init__(self, directory):
        self.dir = directory
        self.ca_cert = os.path.join(directory, "ca.pem")
        for name, text in (("ca.cnf", self._CA_CONFIG), ("index.txt", ""), ("serial", "1000\n")):
            with open(os.path.join(directory, name), "w") as f:
                f.write(text)
        openssl("req", "-x509", *self._KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
                "-subj", "/CN=checker test CA", cwd=directory)

    def leaf(self, name, days, alt_names="IP:127.0.0.1,DNS:localhost"):
        """Returns (certfile, keyfile) for `alt_names` that expires `days`
        days from now; a negative `days` makes one that expired that long ago."""
        cert, key, request = (os.path.join(self.dir, name + suffix) for suffix in (".pem", ".key", ".csr"))
        expiry = time.time() + days * 86400
        start = min(time.time() - 3600, expiry - 30 * 86400)
        openssl("req", *self._KEY, "-keyout", key, "-out", request, "-subj", "/CN=" + name,
                "-addext", "subjectAltName = " + alt_names, cwd=self.dir)
        openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-in", request, "-out", cert,
                "-startdate", time.strftime("%Y%m%d%H%M%SZ", time.gmtime(start)),
                "-enddate", time.strftime("%Y%m%d%H%M%SZ", time.gmtime(expiry)), cwd=self.dir)
        return cert, key

    def self_signed(self, name, days=365):
        """Returns (certfile, keyfile) of a certificate no CA signed."""
        cert, key = (os.path.join(self.dir, name + suffix) for suffix in (".pem", ".key"))
        openssl("req", "-x509", *self._KEY, "-keyout", key, "-out", cert, "-days", str(days), "-subj", "/CN=" + name,
                "-addext", "subjectAltName = IP:127.0.0.1,DNS:localhost", cwd=self.dir)
        return cert, key


def not_after(certfile):
    """The certificate's expiry as seconds since the epoch, read by openssl."""
    out = subprocess.run(["openssl", "x509", "-in", certfile, "-noout", "-enddate"], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return ssl.cert_time_to_seconds(out.strip().split("=", 1)[1])


_MEASURE = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
with open(sys.argv[1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)
"""


def run_measured(command, directory, timeout=120):
    """Runs `command` in a fresh Python parent so that RUSAGE_CHILDREN covers it
    and every process it waited for, and nothing else. Returns (exit status,
    peak resident set size of any of those processes in bytes, seconds)."""
    report = os.path.join(directory, "maxrss")
    started = time.monotonic()
    rc = subprocess.run([sys.executable, "-c", _MEASURE, report, *command], timeout=timeout, cwd=directory).returncode
    seconds = time.monotonic() - started
    with open(report) as f:
        return rc, int(f.read()) * 1024, seconds
