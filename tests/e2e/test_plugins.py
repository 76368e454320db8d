"""Plugins: the install layout, the loader's refusals,
and an out-of-tree plugin built with find_package(CheckerSDK)."""
import os
import shutil
import subprocess
import threading
import unittest

from checker_harness import PREFIX, SOURCE_DIR, CheckerTestCase, TcpListener

WRONG_ABI_SOURCE = r"""
#include <checker/abi.h>
#undef CHECKER_SDK_ABI
#define CHECKER_SDK_ABI 999
#include <checker/plugin.h>
struct J : checker::JobBase {
  std::string Name() const override { return "wrongabi:x"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, ""}; }
};
CHECKER_EXPORT_JOB(J)
"""

SPAWN_CRASH_SOURCE = r"""
#include <checker/plugin.h>
#include <csignal>
struct S : checker::JobSpawner {
  std::vector<std::unique_ptr<checker::JobBase>> Spawn(checker::PluginSettings&) override {
    std::raise(SIGSEGV);
    return {};
  }
};
CHECKER_EXPORT_SPAWNER(S)
"""

LOAD_CRASH_SOURCE = r"""
#include <checker/plugin.h>
#include <cstdlib>
struct J : checker::JobBase {
  std::string Name() const override { return "loadcrash:x"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, ""}; }
};
static int crash_on_load = (std::abort(), 0);
CHECKER_EXPORT_JOB(J)
"""

MISNAMED_SOURCE = r"""
#include <checker/plugin.h>
struct J : checker::JobBase {
  std::string Name() const override { return "tcp:impostor"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, ""}; }
};
CHECKER_EXPORT_JOB(J)
"""

# Runs code as whoever loads it: the marker file says it did.
MARKER_SOURCE = r"""
#include <checker/plugin.h>
#include <fstream>
struct J : checker::JobBase {
  std::string Name() const override { return "x:evil"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, ""}; }
};
static int ran = (std::ofstream(MARKER) << "loaded", 0);
CHECKER_EXPORT_JOB(J)
"""

NO_FACTORY_SOURCE = r"""
#include <checker/plugin.h>
CHECKER_EXPORT_ABI_
"""


class PluginTest(CheckerTestCase):
    def setUp(self):
        super().setUp()
        self.plugins = os.path.join(self.dir, "plugins")
        os.mkdir(self.plugins, 0o755)
        self.listener = TcpListener()

    def tearDown(self):
        self.listener.close()
        super().tearDown()

    def compile_plugin(self, name, source, directory=None, defines=()):
        path = os.path.join(self.dir, name + ".cpp")
        with open(path, "w") as f:
            f.write(source)
        output = os.path.join(directory or self.plugins, name + ".so")
        subprocess.run(["g++", "-std=c++17", "-shared", "-fPIC", "-fvisibility=hidden", "-DBOOST_DLL_USE_STD_FS",
                        "-I", os.path.join(PREFIX, "include")] + ["-D" + d for d in defines] + ["-o", output, path],
                       check=True, timeout=120)
        return output

    def config_with_plugindir(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port, general_extra="plugindir = %s\n" % self.plugins, plugindir=False)

    def test_install_layout(self):
        self.assertTrue(os.access(os.path.join(PREFIX, "bin", "checker"), os.X_OK))
        for plugin in ("tcp", "http", "tls", "email", "heartbeat", "peer"):
            self.assertTrue(os.path.exists(os.path.join(PREFIX, "lib", "checker", "plugins", plugin + ".so")))
        for module in ("libchecker_core.so", "network.so"):
            self.assertTrue(os.path.exists(os.path.join(PREFIX, "lib", "checker", module)), module)
        for header in ("plugin.h", "job.h", "settings.h", "abi.h", "values.h"):
            self.assertTrue(os.path.exists(os.path.join(PREFIX, "include", "checker", header)), header)
        for cmake in ("CheckerSDKConfig.cmake", "CheckerSDKConfigVersion.cmake", "CheckerSDKTargets.cmake"):
            self.assertTrue(os.path.exists(os.path.join(PREFIX, "lib", "cmake", "CheckerSDK", cmake)), cmake)

    def test_a_tick_loads_libcurl_only_when_a_job_or_delivery_needs_it(self):
        def libraries_loaded(body):
            self.write_config(body, plugindir=False)
            result = self.checker("-m", "cron", "-c", "minute", "--nomail", env={"LD_DEBUG": "files"})
            return result.stderr

        tcp_only = libraries_loaded("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port)
        self.assertNotIn("libcurl", tcp_only)
        self.assertNotIn("network.so", tcp_only)
        with_http = libraries_loaded("""
            [http:site]
            url = http://127.0.0.1:%d/
            """ % self.listener.port)
        self.assertIn("libcurl", with_http)

    def test_installed_checker_finds_its_builtin_plugins_without_plugindir(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port, plugindir=False)
        result = self.checker("-m", "run", "--job", "tcp:up")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def assert_refused(self, name, reason):
        self.config_with_plugindir()
        validate = self.checker("-m", "validate")
        self.assertEqual(validate.returncode, 2, validate.stdout)
        self.assertIn(os.path.join(self.plugins, name + ".so"), validate.stdout)
        self.assertIn(reason, validate.stdout)
        tick = self.tick("minute", "--nomail")
        self.assertEqual(tick.returncode, 1, tick.stderr)
        status = self.status()
        self.assertEqual(status["tcp:up"]["state"], "succeeding", "a refused plugin must not stop other jobs")
        self.assertEqual(status["plugin:%s.so" % name]["state"], "failing")
        self.assertIn(reason, status["plugin:%s.so" % name]["message"])
        self.assertIn("failure notification for plugin:%s.so" % name, tick.stdout)

    def test_a_file_that_is_not_a_shared_object_is_refused(self):
        with open(os.path.join(self.plugins, "garbage.so"), "wb") as f:
            f.write(os.urandom(4096))
        self.assert_refused("garbage", "not a loadable shared object")

    def test_a_plugin_built_for_another_abi_is_refused(self):
        self.compile_plugin("wrongabi", WRONG_ABI_SOURCE)
        self.assert_refused("wrongabi", "built for SDK ABI 999")

    def test_a_plugin_without_a_factory_is_refused(self):
        self.compile_plugin("nofactory", NO_FACTORY_SOURCE)
        self.assert_refused("nofactory", "exports no factory")

    def test_a_shared_object_that_is_not_a_plugin_is_refused(self):
        shutil.copy("/lib/x86_64-linux-gnu/libz.so.1", os.path.join(self.plugins, "libz.so"))
        self.assert_refused("libz", "not a checker plugin")

    def test_a_plugin_in_a_world_writable_directory_is_refused(self):
        shutil.copy(os.path.join(PREFIX, "lib", "checker", "plugins", "tcp.so"),
                    os.path.join(self.plugins, "mytcp.so"))
        os.chmod(self.plugins, 0o777)
        self.assert_refused("mytcp", "the directory '%s' is writable by every user" % self.plugins)

    def test_a_plugin_below_a_group_writable_directory_is_refused(self):
        shared = os.path.join(self.dir, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o775)
        self.plugins = os.path.join(shared, "plugins")
        os.mkdir(self.plugins, 0o755)
        shutil.copy(os.path.join(PREFIX, "lib", "checker", "plugins", "tcp.so"),
                    os.path.join(self.plugins, "mytcp.so"))
        self.assert_refused("mytcp", "the directory '%s' is writable by its group" % shared)

    def test_a_group_writable_plugin_is_refused(self):
        path = os.path.join(self.plugins, "mytcp.so")
        shutil.copy(os.path.join(PREFIX, "lib", "checker", "plugins", "tcp.so"), path)
        os.chmod(path, 0o775)
        self.assert_refused("mytcp", "writable by its group")

    def run_validate_while_swapping(self, link, choices, runs):
        """Runs validate `runs` times while a thread swaps the symbolic link
        `link` among `choices` as fast as it can; returns the outputs."""
        stop = threading.Event()

        def swap():
            flip = 0
            while not stop.is_set():
                temporary = link + ".new"
                os.symlink(choices[flip % len(choices)], temporary)
                os.rename(temporary, link)
                flip += 1

        swapper = threading.Thread(target=swap, daemon=True)
        swapper.start()
        try:
            return [self.checker("-m", "validate", timeout=30).stdout for _ in range(runs)]
        finally:
            stop.set()
            swapper.join(timeout=5)

    def test_a_symlink_swapped_during_loading_never_loads_another_users_code(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to act as another user")
        # A root-owned plugin, and another user's own one that says when it ran.
        trusted = os.path.join(self.dir, "trusted")
        os.mkdir(trusted, 0o755)
        good = os.path.join(trusted, "good.so")
        shutil.copy(os.path.join(PREFIX, "lib", "checker", "plugins", "tcp.so"), good)
        attacker = os.path.join(self.dir, "attacker")
        os.mkdir(attacker, 0o755)
        marker = os.path.join(self.dir, "marker")
        evil = self.compile_plugin("evil", MARKER_SOURCE, directory=attacker, defines=['MARKER="%s"' % marker])
        os.chown(attacker, 65534, 65534)
        os.chown(evil, 65534, 65534)
        # The other user's directory as a plugin directory: the link in it
        # flips between the two, and both are refused.
        self.write_config("", general_extra="plugindir = %s\n" % attacker, plugindir=False)
        outputs = self.run_validate_while_swapping(os.path.join(attacker, "x.so"), [good, evil], 60)
        self.assertFalse(os.path.exists(marker), "the other user's plugin ran as root")
        self.assertTrue(all("owned by neither root nor the running user" in out for out in outputs), outputs[0])
        # A trusted plugin directory whose link leads into the other user's
        # directory, where a second link flips: the root-owned plugin may
        # load, the other user's never.
        os.symlink(os.path.join(attacker, "x.so"), os.path.join(self.plugins, "x.so"))
        self.write_config("", general_extra="plugindir = %s\n" % self.plugins, plugindir=False)
        self.run_validate_while_swapping(os.path.join(attacker, "x.so"), [good, evil], 60)
        self.assertFalse(os.path.exists(marker), "the other user's plugin ran as root")

    def test_a_plugindir_that_is_a_symlink_loop_or_too_long_is_a_warning_naming_the_key(self):
        loop = os.path.join(self.dir, "loop")
        os.symlink(loop, loop)
        # A value joined from parts ("\" at a line's end): one name of 300 bytes.
        too_long = os.path.join(self.dir, "x" * 100) + "\\\n    " + "x" * 100 + "\\\n    " + "x" * 100
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            """ % self.listener.port, general_extra="plugindir = %s:%s\n" % (loop, too_long), plugindir=False)
        for mode in (["-m", "validate"], ["-m", "list"], ["-m", "cron", "-c", "minute", "--nomail"]):
            result = self.checker(*mode)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            output = result.stdout + result.stderr + self.log()
            self.assertIn("[general] plugindir: '%s' is not a directory (Too many levels of symbolic links)" % loop,
                          output)
            self.assertIn("File name too long", output)

    def test_a_plugin_owned_by_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to chown")
        path = os.path.join(self.plugins, "foreign.so")
        shutil.copy(os.path.join(PREFIX, "lib", "checker", "plugins", "tcp.so"), path)
        os.chown(path, 65534, 65534)
        self.assert_refused("foreign", "owned by neither root nor the running user")

    def test_a_plugin_that_crashes_while_making_its_jobs_is_refused(self):
        self.compile_plugin("spawncrash", SPAWN_CRASH_SOURCE)
        self.assert_refused("spawncrash", "crashed while loading or making its jobs (killed by SIGSEGV)")

    def test_a_plugin_that_crashes_when_loaded_is_refused(self):
        self.compile_plugin("loadcrash", LOAD_CRASH_SOURCE)
        self.assert_refused("loadcrash", "crashed while loading or making its jobs (killed by SIGABRT)")

    def test_a_plugin_that_names_jobs_outside_its_namespace_is_refused(self):
        self.compile_plugin("misnamed", MISNAMED_SOURCE)
        self.assert_refused("misnamed", "makes a job named 'tcp:impostor'")

    def test_a_job_section_without_its_plugin_is_an_error_naming_the_nearest_plugin(self):
        self.write_config("""
            [tcp:up]
            host = 127.0.0.1
            port = %d
            [tpc:typo]
            host = 127.0.0.1
            """ % self.listener.port)
        validate = self.checker("-m", "validate")
        self.assertEqual(validate.returncode, 2, validate.stdout)
        self.assertIn("%s:%d: [tpc:typo]: no plugin 'tpc'; did you mean 'tcp'?" % (self.config, self.line_of("[tpc:typo]")),
                      validate.stdout)
        # A new install has no configuration that ran before: nothing runs.
        self.assertEqual(self.tick("minute", "--nomail").returncode, 2)
        self.assertFalse(os.path.exists(self.statefile))

    def test_out_of_tree_plugins_build_with_find_package_and_run(self):
        build = os.path.join(self.dir, "build")
        for example in ("uptime_job", "diskfree_spawner"):
            subprocess.run(["cmake", "-S", os.path.join(SOURCE_DIR, "examples", example), "-B",
                            os.path.join(build, example), "-DCMAKE_PREFIX_PATH=" + PREFIX,
                            "-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=" + self.plugins],
                           check=True, capture_output=True, timeout=300)
            subprocess.run(["cmake", "--build", os.path.join(build, example)], check=True, capture_output=True,
                           timeout=300)
        self.write_config("""
            [diskfree:root]
            path = /
            min_free_percent = 0
            [diskfree:impossible]
            path = /
            min_free_percent = 100
            """, general_extra="plugindir = %s\n" % self.plugins, plugindir=False)
        listing = self.checker("-m", "list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        for name in ("uptime:recent-boot", "diskfree:root", "diskfree:impossible"):
            self.assertIn(name, listing.stdout)
        self.assertEqual(self.checker("-m", "run", "--job", "diskfree:root").returncode, 0)
        failed = self.checker("-m", "run", "--job", "diskfree:impossible")
        self.assertEqual(failed.returncode, 1)
        self.assertIn("fewer than 100%", failed.stdout)


if __name__ == "__main__":
    unittest.main()
