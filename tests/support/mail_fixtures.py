"""Real notification receivers on 127.0.0.1 for the end-to-end tests.

SmtpServer is Debian's aiosmtpd running in this process: it keeps every
message it accepts, with its envelope, and can deliver it into a Maildir.
Dovecot is Debian's dovecot-imapd as a subprocess with a private
configuration, serving that Maildir over IMAP, so the email round trip is
real. WebhookServer is an HTTP server that records what is POSTed to it.
All listen on free ports; MailTestCase stops them in tearDown. Every wait is
bounded.
"""
import asyncio
import atexit
import email
import email.policy
import http.server
import json
import logging
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import textwrap
import threading
import time
import uuid
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from checker_harness import CheckerTestCase, free_port, wait_until

logging.getLogger("mail.log").setLevel(logging.CRITICAL)  # refused TLS handshakes are expected
warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")  # implicit TLS is TLS

MAIL_UID = MAIL_GID = 65534  # nobody: Dovecot will not serve mail as root
ACCOUNT = "checker@example.test"
PASSWORD = "s3cret-Pa55word"

_certificate_dir = None


def certificate():
    """A self-signed certificate for 127.0.0.1 and localhost: (cert, key)
    paths; the certificate doubles as the cafile that trusts it."""
    global _certificate_dir
    if _certificate_dir is None:
        _certificate_dir = tempfile.mkdtemp(prefix="checker-cert-")
        atexit.register(shutil.rmtree, _certificate_dir, True)
        os.chmod(_certificate_dir, 0o755)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", os.path.join(_certificate_dir, "key.pem"),
             "-out", os.path.join(_certificate_dir, "cert.pem")],
            check=True, capture_output=True, timeout=60)
    return os.path.join(_certificate_dir, "cert.pem"), os.path.join(_certificate_dir, "key.pem")


def server_tls_context():
    cert, key = certificate()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class ReceivedMail:
    def __init__(self, mail_from, rcpt_tos, data, login):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.data = data
        self.login = login  # the AUTH user name, or None
        self.message = email.message_from_bytes(data, policy=email.policy.default)

    @property
    def subject(self):
        return str(self.message["Subject"])

    @property
    def body(self):
        return self.message.get_content()


def deliver_to_maildir(folder, data):
    """Writes one message into a Maildir folder as an MDA would: tmp/, then new/."""
    name = "%d.%s.checker-test" % (time.time(), uuid.uuid4().hex)  # unique, as Maildir requires
    temporary = os.path.join(folder, "tmp", name)
    with open(temporary, "wb") as f:
        f.write(data)
    os.chown(temporary, MAIL_UID, MAIL_GID)
    os.rename(temporary, os.path.join(folder, "new", name))


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        await self.server._hold_if("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        self.server.data_started.set()
        if self.server.reject_data:
            # True: a passing refusal; a string: that very reply, such as a 550.
            return self.server.reject_data if isinstance(self.server.reject_data, str) else "451 try again later"
        # The server has the whole message now and keeps it, even if its
        # answer is held back and the client dies meanwhile.
        login = session.auth_data.login.decode() if session.authenticated else None
        with self.server._lock:
            self.server._messages.append(ReceivedMail(envelope.mail_from, envelope.rcpt_tos, envelope.content, login))
        if self.server.maildir_folder:
            delivery = threading.Timer(self.server.delivery_delay, deliver_to_maildir,
                                       (self.server.maildir_folder, envelope.content))
            delivery.daemon = True
            delivery.start()
        await self.server._hold_if("DATA")
        return "250 Message accepted for delivery"


def _authenticate(smtp, session, envelope, mechanism, auth_data):
    ok = auth_data.login.decode() == ACCOUNT and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


class SmtpServer:
    """aiosmtpd on 127.0.0.1. security: "none", "starttls" (required) or
    "tls" (implicit). With auth, AUTH as ACCOUNT/PASSWORD is required.
    hold("RCPT"|"DATA") makes the server stall before answering that command
    until release() (a held DATA has already kept the message); reject_data
    makes it answer 451 to the end of data, or the reply it holds ("550 ...")."""

    def __init__(self, port=None, security="none", auth=False, maildir_folder=None):
        self.port = port or free_port()
        self.security = security
        self.auth = auth
        self.maildir_folder = maildir_folder
        self.reject_data = False
        self.delivery_delay = 0  # seconds from accepting a message to its landing in the Maildir
        self.data_started = threading.Event()
        self._held = None
        self._released = threading.Event()
        self._stopping = False
        self._lock = threading.Lock()
        self._messages = []
        self._controller = None

    def start(self):
        kwargs = {}
        if self.security == "starttls":
            kwargs.update(tls_context=server_tls_context(), require_starttls=True)
        elif self.security == "tls":
            kwargs.update(ssl_context=server_tls_context())
        if self.auth:
            # aiosmtpd counts only STARTTLS as TLS; implicit TLS is TLS too.
            kwargs.update(authenticator=_authenticate, auth_required=True,
                          auth_require_tls=self.security == "starttls")
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=10, **kwargs)
        self._controller.start()
        return self

    def stop(self):
        # A held answer is never sent: the connection drops with it (releasing
        # it first would let a reply slip out before the server stops).
        self._stopping = True
        if self._controller:
            self._controller.stop()
            self._controller = None
        self._stopping = False

    def hold(self, command):
        self._held = command
        self._released.clear()

    def release(self):
        self._released.set()

    async def _hold_if(self, command):
        deadline = time.monotonic() + 30
        while (self._stopping or self._held == command and not self._released.is_set()) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    @property
    def messages(self):
        with self._lock:
            return list(self._messages)

    def wait_for(self, count, timeout=10):
        wait_until(lambda: len(self.messages) >= count, timeout=timeout)
        return self.messages


class Dovecot:
    """Dovecot serving one account's Maildir over IMAP on 127.0.0.1, with
    a private base_dir and configuration, logging to dovecot.log. With tls,
    IMAP is implicit TLS (imaps) on self.port."""

    def __init__(self, tls=False):
        self.root = tempfile.mkdtemp(prefix="checker-dovecot-")
        os.chmod(self.root, 0o755)  # Dovecot's unprivileged users must reach it
        self.home = os.path.join(self.root, "home")
        self.maildir = os.path.join(self.home, "Maildir")
        self.port = free_port()
        self.log = os.path.join(self.root, "dovecot.log")
        self.tls = tls
        self.proc = None
        self.folder("")  # INBOX
        with open(os.path.join(self.root, "users"), "w") as f:
            f.write("%s:{PLAIN}%s:%d:%d::%s\n" % (ACCOUNT, PASSWORD, MAIL_UID, MAIL_GID, self.home))
        self.config = os.path.join(self.root, "dovecot.conf")
        with open(self.config, "w") as f:
            f.write(self._config_text())

    def _config_text(self):
        cert, key = certificate()
        ssl_lines = ("ssl = required\nssl_cert = <%s\nssl_key = <%s\n" % (cert, key)) if self.tls else "ssl = no\n"
        imap_port, imaps_port = (0, self.port) if self.tls else (self.port, 0)
        return textwrap.dedent("""\
            base_dir = {root}/run
            state_dir = {root}/state
            instance_name = checker-test-{port}
            protocols = imap
            listen = 127.0.0.1
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            log_path = {log}
            default_internal_user = dovecot
            default_login_user = dovenull
            stats_writer_socket_path =
            mail_location = maildir:~/Maildir
            passdb {{
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {root}/users
            }}
            userdb {{
              driver = passwd-file
              args = username_format=%u {root}/users
            }}
            service imap-login {{
              inet_listener imap {{
                address = 127.0.0.1
                port = {imap_port}
              }}
              inet_listener imaps {{
                address = 127.0.0.1
                port = {imaps_port}
              }}
            }}
            """).format(root=self.root, port=self.port, log=self.log, imap_port=imap_port,
                        imaps_port=imaps_port) + ssl_lines

    def folder(self, name):
        """The Maildir++ directory of folder `name` ("" for INBOX), created."""
        path = os.path.join(self.maildir, "." + name if name else "")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        for directory, _, _ in os.walk(self.home):
            os.chown(directory, MAIL_UID, MAIL_GID)
        return path

    def start(self):
        with open(os.path.join(self.root, "stderr.log"), "wb") as err:
            self.proc = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", self.config],
                                         stdout=subprocess.DEVNULL, stderr=err)
        if not wait_until(self._answers, timeout=15, interval=0.1):
            raise RuntimeError("dovecot did not start:\n" + self.read_log())
        return self

    def _answers(self):
        if self.proc.poll() is not None:
            raise RuntimeError("dovecot exited:\n" + self.read_log())
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def read_log(self):
        text = ""
        for name in ("dovecot.log", "stderr.log"):
            path = os.path.join(self.root, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += f.read()
        return text

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class WebhookServer:
    """Records every POST (path, headers, JSON body) and answers `status`
    with `answer` as body, after `delay` seconds."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.status = 200
        self.answer = b"ok"
        self.delay = 0
        self._lock = threading.Lock()
        self._requests = []
        self._server = None

    def start(self):
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(owner.delay)
                with owner._lock:
                    owner._requests.append({"path": self.path, "headers": dict(self.headers),
                                            "json": json.loads(body), "status": owner.status})
                self.send_response(owner.status)
                self.send_header("Content-Length", str(len(owner.answer)))
                self.end_headers()
                try:
                    self.wfile.write(owner.answer)
                except OSError:
                    pass  # the client stopped reading

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.port

    @property
    def requests(self):
        """What was POSTed and answered 2xx, and what was refused, in order."""
        with self._lock:
            return list(self._requests)

    @property
    def accepted(self):
        return [r["json"] for r in self.requests if 200 <= r["status"] < 300]


class Listener:
    """A listening socket on a given port of 127.0.0.1: the kernel completes
    connections from its backlog, enough for the tcp job to succeed."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)

    def close(self):
        self.sock.close()


class MailTestCase(CheckerTestCase):
    """CheckerTestCase with mail servers that tearDown stops first."""

    def setUp(self):
        super().setUp()
        self._servers = []

    def tearDown(self):
        for server in reversed(self._servers):
            if isinstance(server, Dovecot):
                server.remove()
            elif isinstance(server, (SmtpServer, WebhookServer)):
                server.stop()
            else:
                server.close()
        super().tearDown()

    def start_smtp(self, **kwargs):
        server = SmtpServer(**kwargs)
        self._servers.append(server)
        return server.start()

    def start_dovecot(self, **kwargs):
        server = Dovecot(**kwargs)
        self._servers.append(server)
        return server.start()

    def start_webhook(self, **kwargs):
        server = WebhookServer(**kwargs)
        self._servers.append(server)
        return server.start()

    def listen_on(self, port):
        listener = Listener(port)
        self._servers.append(listener)
        return listener

    def email_section(self, smtp_port, security="none", extra=""):
        """An [email] section sending through 127.0.0.1:smtp_port."""
        return ("[email]\nsmtpserver = 127.0.0.1\nsmtpport = %d\nsmtpsecurity = %s\n" % (smtp_port, security)
                + textwrap.dedent(extra) + "\n")

    def down_job(self, name="down", port=None, extra=""):
        """A tcp job pointed at a port nothing listens on (fails at once)."""
        return ("[tcp:%s]\nhost = 127.0.0.1\nport = %d\n" % (name, port or free_port())
                + textwrap.dedent(extra) + "\n")

    def rows(self, channel=None):
        """Outbox rows as dicts, oldest first; none before checker made the state file."""
        if not os.path.exists(self.statefile):
            return []
        with self.db() as conn:
            conn.row_factory = lambda cursor, row: {d[0]: v for d, v in zip(cursor.description, row)}
            sql = "SELECT * FROM outbox" + (" WHERE channel = ?" if channel else "") + " ORDER BY id"
            return conn.execute(sql, (channel,) if channel else ()).fetchall()
