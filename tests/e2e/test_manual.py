"""The manual pages are installed and agree with `checker --help`: every mode
and option that --help shows is documented in checker(1), and what checker(1)
documents beyond --help is exactly the list of modes and options still to
come, so neither side can drift."""
import os
import re
import shutil
import subprocess
import unittest

from checker_harness import CHECKER, PREFIX

MAN1 = os.path.join(PREFIX, "share", "man", "man1", "checker.1")
MAN5 = os.path.join(PREFIX, "share", "man", "man5", "checker-settings.5")

def roff_to_text(source):
    """The words of a man page's source, without roff's escapes and fonts."""
    text = source.replace("\\-", "-").replace("\\&", "")
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\\(..|\\\*.|\\e", "", text)
    return text


def sections(source, names):
    """The text of the man page's sections NAMES (".SH NAME" headings)."""
    parts = re.split(r"^\.SH +\"?([^\n\"]*)\"?\n", source, flags=re.M)
    return "\n".join(body for name, body in zip(parts[1::2], parts[2::2]) if name.strip() in names)


def mentions(text):
    # A mode is "-m NAME"; a long option "--name"; a short option "-x" alone.
    return {
        "modes": set(re.findall(r"(?<![\w-])-m ([a-z][a-z_-]*)", text)),
        "long options": set(re.findall(r"(?<![\w-])--([a-z][a-z-]*)", text)),
        "short options": set(re.findall(r"(?<![\w-])-([a-zA-Z])(?![\w-])", text)),
    }


class ManualTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        help_text = subprocess.run([CHECKER, "--help"], capture_output=True, text=True, timeout=30).stdout
        # --help's usage lines ("checker -m cron ...") name every mode.
        cls.help = mentions(help_text)
        with open(MAN1) as f:
            # Where checker(1) defines its interface (EXAMPLES and FILES
            # quote other programs' options).
            cls.man = mentions(roff_to_text(sections(f.read(), {"SYNOPSIS", "MODES", "OPTIONS"})))

    def test_both_manual_pages_are_installed(self):
        self.assertTrue(os.path.isfile(MAN1), MAN1)
        self.assertTrue(os.path.isfile(MAN5), MAN5)

    @unittest.skipUnless(shutil.which("man"), "man is not installed")
    def test_the_pages_render_without_warnings(self):
        for page in (MAN1, MAN5):
            result = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                                    timeout=60, env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", LC_ALL="C.UTF-8"))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stderr, "", page)

    def test_help_shows_the_modes_it_accepts(self):
        self.assertLessEqual({"cron", "daemon", "list", "status", "run", "ping", "pause", "unpause", "validate"},
                             self.help["modes"])

    def test_every_mode_and_option_in_help_is_in_the_manual(self):
        for kind in self.help:
            self.assertEqual(self.help[kind] - self.man[kind], set(), "%s in --help but not in checker(1)" % kind)

    def test_the_manual_documents_nothing_beyond_help(self):
        for kind in self.man:
            self.assertEqual(self.man[kind] - self.help[kind], set(), "%s in checker(1) but not in --help" % kind)


if __name__ == "__main__":
    unittest.main()
