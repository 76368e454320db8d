"""Bad input: what an operator sees when a file, a value or an option is not
what checker expects. Each case ends quickly with a message naming the fault;
nothing blocks, grows without bound or aborts."""
import os
import subprocess
import unittest
import urllib.request

from checker_harness import CHECKER as CHECKER_PATH, CheckerTestCase, free_port, wait_until


class BadInputTest(CheckerTestCase):
    def base(self, extra=""):
        return self.write_config("""
            [email]
            nomail = true
            %s
            [heartbeat:backups]
            period = 1h
            """ % extra, plugindir=False)

    def test_a_fifo_as_settings_file_is_refused_at_once(self):
        fifo = os.path.join(self.dir, "fifo.cfg")
        os.mkfifo(fifo)
        result = self.checker("-m", "validate", config=False, env={"CHECKER_CONFIG": fifo}, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("is not a regular file", result.stdout + result.stderr)

    def test_dev_zero_as_settings_file_is_refused_at_once(self):
        result = self.checker("-m", "validate", config=False, env={"CHECKER_CONFIG": "/dev/zero"}, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("/dev/zero: is not a regular file", result.stdout + result.stderr)

    def test_a_fifo_or_dev_zero_as_passfile_is_an_error_naming_the_key(self):
        fifo = os.path.join(self.dir, "pass.fifo")
        os.mkfifo(fifo)
        for passfile in (fifo, "/dev/zero", self.dir):
            self.base("passfile = %s" % passfile)
            result = self.checker("-m", "validate", timeout=10)
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertIn("[email] passfile: '%s' is not a regular file" % passfile, result.stdout)

    def test_a_fifo_as_logfile_is_an_error_and_a_tick_does_not_block(self):
        os.mkfifo(self.logfile)
        self.base()
        validate = self.checker("-m", "validate", timeout=10)
        self.assertEqual(validate.returncode, 2)
        self.assertIn("[general] logfile: cannot open '%s' for appending: not a regular file" % self.logfile,
                      validate.stdout)
        tick = self.tick("minute", timeout=10)
        self.assertEqual(tick.returncode, 2)
        self.assertIn("not a regular file", tick.stderr)

    def test_a_symlinked_logfile_is_not_followed(self):
        target = os.path.join(self.dir, "elsewhere")
        os.symlink(target, self.logfile)
        self.base()
        tick = self.tick("minute", timeout=10)
        self.assertEqual(tick.returncode, 2)
        self.assertIn("is a symbolic link", tick.stderr)
        self.assertFalse(os.path.exists(target))

    def test_a_state_directory_another_user_owns_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to chown")
        shared = os.path.join(self.dir, "state")
        os.mkdir(shared, 0o755)
        os.chown(shared, 65534, 65534)
        self.statefile = os.path.join(shared, "state.db")
        self.base()
        tick = self.tick("minute", timeout=10)
        self.assertEqual(tick.returncode, 2)
        self.assertIn("[general] statefile: the directory '%s' is owned by neither root nor the running user" % shared,
                      tick.stderr)
        self.assertEqual(os.listdir(shared), [])

    def test_a_symlinked_state_file_is_not_followed(self):
        target = os.path.join(self.dir, "elsewhere.db")
        os.symlink(target, self.statefile)
        self.base()
        validate = self.checker("-m", "validate", timeout=10)
        self.assertEqual(validate.returncode, 2)
        self.assertIn("is not a regular file (a symbolic link is not followed)", validate.stdout)

    def test_a_full_disk_says_so_naming_the_state_file(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to mount a small file system")
        full = os.path.join(self.dir, "full")
        os.mkdir(full, 0o700)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", full]).returncode != 0:
            self.skipTest("cannot mount a tmpfs here")
        self.addCleanup(subprocess.run, ["umount", "-l", full])
        self.statefile = os.path.join(full, "state.db")
        self.base()
        self.assertEqual(self.tick("minute", timeout=30).returncode, 0, self.log())
        filler = os.open(os.path.join(full, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(filler, b"x" * 4096) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        with open(self.config, "a") as f:
            f.write("".join("[heartbeat:h%d]\nperiod = 1h\n" % i for i in range(200)))
        tick = self.tick("minute", timeout=60)
        self.assertNotEqual(tick.returncode, 0)
        self.assertIn(self.statefile, tick.stderr + self.log())
        self.assertIn("the disk is full", tick.stderr + self.log())

    def test_a_pause_beyond_ten_years_is_refused(self):
        self.base()
        result = self.checker("-m", "pause", "--job", "backups", "--for", "106751991167300d")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--for is at most 3650d", result.stderr)
        self.assertEqual(self.checker("-m", "pause", "--job", "backups", "--for", "3650d").returncode, 0)

    def test_a_peer_admin_that_is_not_an_address_is_an_error(self):
        self.base()
        with open(self.config, "a") as f:
            f.write("[peers]\npeer1 = http://127.0.0.1:1,not an address\n")
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("'not an address' is not an email address", result.stdout)

    def test_a_long_section_name_says_the_limit(self):
        self.base()
        name = "heartbeat:" + "n" * 45
        with open(self.config, "a") as f:
            f.write("[%s]\nperiod = 1h\n" % name)
        result = self.checker("-m", "validate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("section names are at most 49 characters", result.stdout)
        self.assertNotIn("key outside a section", result.stdout)

    def test_the_daemon_process_is_not_dumpable(self):
        # A non-dumpable process's /proc entries belong to root whoever runs it;
        # run as nobody to see it.
        if os.geteuid() != 0:
            self.skipTest("needs root to run as another user")
        port = free_port()
        self.base()
        with open(self.config, "a") as f:
            f.write("[daemon]\nlisten = 127.0.0.1:%d\n" % port)
        os.chmod(self.dir, 0o755)
        os.chmod(self.config, 0o644)
        os.chown(self.dir, 65534, 65534)
        proc = self.start_process([CHECKER_PATH, "-f", self.config, "-m", "daemon"], user=65534, group=65534,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answering():
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2):
                    return True
            except OSError:
                return False

        self.assertTrue(wait_until(answering, timeout=20), "the daemon did not start")
        self.assertEqual(os.stat(os.path.join("/proc", str(proc.pid), "fd")).st_uid, 0)

if __name__ == "__main__":
    unittest.main()
