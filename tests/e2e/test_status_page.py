"""The daemon's status page (GET /status), looked at in a real browser:
Debian's chromium, headless, on 127.0.0.1 only. Screenshots at a phone's and
a desktop's width are kept in the build tree's test-artifacts/."""
import fcntl
import html.parser
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from checker_harness import CHECKER, CheckerTestCase, free_port, wait_until

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PLUGINS = "/usr/lib/nagios/plugins"
ARTIFACTS = os.environ.get("CHECKER_TEST_ARTIFACTS") or os.path.join(tempfile.gettempdir(), "checker-test-artifacts")
SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(2)>"


class Elements(html.parser.HTMLParser):
    """Every element of a document: (tag, attributes), and its text."""

    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(document)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def tags(self, tag):
        return [attrs for name, attrs in self.elements if name == tag]


class DevTools:
    """Chromium driven over --remote-debugging-pipe: JSON messages ended by
    NUL on fds 3 (to it) and 4 (from it), so no websocket is needed. Every
    read is bounded by a deadline."""

    def __init__(self, test, width, height):
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # The child's ends move to fds of 10 and up, apart from the 3 and 4 they go to.
        to_browser, from_browser = (self._above_9(fd) for fd in (to_browser, from_browser))
        profile = tempfile.mkdtemp(prefix="chromium-", dir=test.dir)
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", "--disable-background-networking", "--user-data-dir=" + profile,
                   "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--remote-debugging-pipe",
                   "--window-size=%d,%d" % (width, height), "about:blank"]
        # bash moves the pipes' ends to the fds 3 and 4 that chromium reads and writes.
        moves = 'exec "$0" "$@" 3<&%d 4>&%d %d<&- %d>&-' % (to_browser, from_browser, to_browser, from_browser)
        self.process = test.start_process(["/bin/bash", "-c", moves] + command, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, pass_fds=(to_browser, from_browser))
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._next_id, self.events = b"", 0, []
        test.addCleanup(self.close)

    @staticmethod
    def _above_9(fd):
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return moved

    def close(self):
        """Stops this chromium (by its pid) and closes the pipes; safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        for fd in (self._write, self._read):
            try:
                os.close(fd)
            except OSError:
                pass

    def _message(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._read], [], [], remaining)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._read, 65536)
            if not chunk:
                raise EOFError("chromium closed its pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, timeout=30, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError("%s: %s" % (method, answer["error"]))
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while not any(event.get("method") == method for event in self.events):
            self.events.append(self._message(deadline))

    def open(self, url, width):
        """A page at `url` as a phone or desktop of that width shows it; returns its session."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self.call(method, session)
        self.call("Emulation.setDeviceMetricsOverride", session, width=width, height=800, deviceScaleFactor=1,
                  mobile=width < 600)
        self.call("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired")
        return session

    def evaluate(self, session, expression):
        return self.call("Runtime.evaluate", session, expression=expression, returnByValue=True)["result"]["value"]


def rows(document):
    """(job name, state words, strip marks) of each row, top to bottom."""
    found = []
    for row in re.findall(r'<tr class="[a-z_]+">(.*?)</tr>', document, re.S):
        name = re.search(r"<b>(.*?)</b>", row).group(1)
        state = re.search(r'<span class="state">(.*?)</span>', row).group(1)
        found.append((name, state, len(re.findall(r'<i class="[sf]"', row))))
    return found


@unittest.skipUnless(os.access(CHROMIUM, os.X_OK), "needs chromium (scripts/install-deps.sh test)")
class StatusPageTest(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_port()
        self.write_config("""
            [daemon]
            listen = 127.0.0.1:%(port)d
            [nagios:fine]
            command = %(plugins)s/check_dummy 0 'all fine'
            [nagios:scripted]
            command = %(plugins)s/check_dummy 2 '%(script)s'
            [nagios:imaged]
            command = %(plugins)s/check_dummy 2 '%(img)s'
            [nagios:held]
            command = %(plugins)s/check_dummy 0 'held'
            [nagios:repairs]
            command = %(plugins)s/check_dummy 2 'under repair'
            maintenance = * * * * * 2h
            [nagios:daily]
            command = %(plugins)s/check_dummy 0 'daily'
            frequency = day
            """ % {"port": self.port, "plugins": PLUGINS, "script": SCRIPT_PAYLOAD, "img": IMG_PAYLOAD},
            general_extra="[email]\nnomail = true\n")
        for _ in range(3):
            self.assertIn(self.tick("minute").returncode, (0, 1))
        self.assertEqual(self.checker("-m", "pause", "--job", "nagios:held", "--for", "2h").returncode, 0)
        # Older history than the strip shows: 60 more runs of nagios:fine.
        with self.db() as conn:
            conn.executemany(
                "INSERT INTO runs (key, time, success, message, duration, perfdata, decision) "
                "VALUES ('nagios:fine', ?, 1, 'OK: earlier', 0.01, '[]', '')",
                [(int(time.time()) - 86400 + i,) for i in range(60)])
        self.daemon = self.start_process([CHECKER, "-f", self.config, "-m", "daemon"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_until(lambda: self.get("/") is not None, timeout=10), "daemon did not start")
        self.url = "http://127.0.0.1:%d/status" % self.port

    def get(self, path, headers=None):
        """(status, headers, body) of a GET, or None when nothing answers."""
        try:
            request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), headers=headers or {})
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
        except OSError:
            return None

    def chromium(self, *args, timeout=90):
        """Runs headless chromium with a fresh profile; returns CompletedProcess."""
        profile = tempfile.mkdtemp(prefix="chromium-", dir=self.dir)
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", "--disable-background-networking", "--disable-sync",
                   "--disable-component-update", "--user-data-dir=" + profile, *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        return result

    def dump_dom(self, *args):
        return self.chromium("--dump-dom", *args, self.url).stdout

    def test_the_browser_shows_every_job_with_its_state_in_words_failing_first(self):
        shown = rows(self.dump_dom())
        self.assertEqual([name for name, _, _ in shown[:2]], ["nagios:scripted", "nagios:imaged"])
        self.assertEqual([state for _, state, _ in shown],
                         ["failing", "failing", "in maintenance", "paused", "never run", "succeeding"])
        self.assertEqual({name: state for name, state, _ in shown}, {
            "nagios:scripted": "failing", "nagios:imaged": "failing", "nagios:repairs": "in maintenance",
            "nagios:held": "paused", "nagios:daily": "never run", "nagios:fine": "succeeding"})
        marks = {name: count for name, _, count in shown}
        self.assertEqual(marks["nagios:fine"], 50, "the strip shows the last 50 runs of 63")
        self.assertEqual(marks["nagios:scripted"], 3)
        self.assertEqual(marks["nagios:daily"], 0)

    def test_markup_in_a_message_stays_text_and_the_page_has_no_script(self):
        document = self.dump_dom()
        parsed = Elements(document)
        text = "".join(parsed.text)
        self.assertIn("CRITICAL: " + SCRIPT_PAYLOAD, text)
        self.assertIn("CRITICAL: " + IMG_PAYLOAD, text)
        self.assertEqual(parsed.tags("script"), [])
        self.assertEqual(parsed.tags("img"), [])
        handlers = [(tag, name) for tag, attrs in parsed.elements for name in attrs if name.startswith("on")]
        self.assertEqual(handlers, [])
        tooltips = [attrs["title"] for attrs in parsed.tags("i") if "title" in attrs]
        self.assertTrue(any(SCRIPT_PAYLOAD in tooltip for tooltip in tooltips), tooltips[:3])

    def test_the_page_loads_nothing_from_other_hosts(self):
        status, _, document = self.get("/status")
        self.assertEqual(status, 200)
        for _, attrs in Elements(document).elements:
            for name in ("src", "href", "action", "srcset", "poster", "data"):
                value = attrs.get(name)
                if value is not None:
                    self.assertFalse(re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.I) and
                                     not value.startswith("data:"), "%s=%r" % (name, value))
        self.assertNotRegex(document, r"(?i)url\(|@import|https?://")
        # What the page asked for, as the browser saw it (its own background
        # traffic aside); no name resolves but 127.0.0.1's, whatever it asked.
        browser = DevTools(self, 1920, 1000)
        browser.open(self.url, 1920)
        requested = {event["params"]["request"]["url"] for event in browser.events
                     if event.get("method") == "Network.requestWillBeSent"}
        self.assertIn(self.url, requested)
        self.assertEqual({url for url in requested if not url.startswith("http://127.0.0.1:%d/" % self.port)}, set())

    def test_the_answer_forbids_scripts_and_sniffing_and_refreshes_every_30_seconds(self):
        status, headers, document = self.get("/status")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        policy = headers["Content-Security-Policy"]
        self.assertIn("default-src 'none'", policy)
        self.assertNotIn("script-src", policy)
        self.assertIn('<meta http-equiv="refresh" content="30">', document)
        self.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">', document)
        self.assertIn("checker on testhost", document)
        self.assertIn('<span class="health True">True</span>', document)

    def test_no_script_runs_and_nothing_scrolls_sideways_on_a_phone_or_a_desktop(self):
        for width in (375, 1920):
            browser = DevTools(self, width, 1000)
            session = browser.open(self.url, width)
            page_width, view_width = browser.evaluate(
                session, "[document.documentElement.scrollWidth, window.innerWidth]")
            self.assertLessEqual(page_width, view_width, "the page scrolls sideways at %d px" % width)
            self.assertEqual(browser.evaluate(session, "document.scripts.length"), 0)
            self.assertEqual(browser.evaluate(session, "document.images.length"), 0)
            self.assertTrue(browser.evaluate(session, "document.title").startswith("testhost: 6 jobs"))
            ran = [event["method"] for event in browser.events
                   if event.get("method") in ("Page.javascriptDialogOpening", "Runtime.consoleAPICalled")]
            self.assertEqual(ran, [], "a script ran")
            browser.close()

    def test_screenshots_at_a_phones_and_a_desktops_width(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        for width, height in ((375, 1200), (1920, 1080)):
            path = os.path.join(ARTIFACTS, "status-page-%d.png" % width)
            if os.path.exists(path):
                os.remove(path)
            self.chromium("--screenshot=" + path, "--window-size=%d,%d" % (width, height),
                          "--hide-scrollbars", self.url)
            with open(path, "rb") as f:
                header = f.read(24)
            self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
            self.assertEqual(int.from_bytes(header[16:20], "big"), width)
            print("status page screenshot: " + path)


class StatusPageAccessTest(CheckerTestCase):
    def test_with_a_read_key_the_page_needs_it_as_status_json_does(self):
        port = free_port()
        self.write_config("""
            [daemon]
            listen = 127.0.0.1:%d
            read_key = r3ad
            [counter:c]
            file = /dev/null
            """ % port)
        self.start_process([CHECKER, "-f", self.config, "-m", "daemon"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

        def status_of(path, headers=None):
            try:
                request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers=headers or {})
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return None

        self.assertTrue(wait_until(lambda: status_of("/") == 200, timeout=10), "daemon did not start")
        for path in ("/status", "/status.json"):
            self.assertEqual(status_of(path), 401, path)
            self.assertEqual(status_of(path + "?key=wrong"), 401, path)
            self.assertEqual(status_of(path + "?key=r3ad"), 200, path)
            self.assertEqual(status_of(path, {"Authorization": "Bearer r3ad"}), 200, path)


if __name__ == "__main__":
    unittest.main()
