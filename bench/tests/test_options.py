"""bench/run's options: each one as before the move to Python, read in the order typed."""
import os
import subprocess
import sys
import tempfile
import unittest

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH)
from benchsuite import options, scenarios  # noqa: E402

ALL = scenarios.load()


def parse(*argv, env=None):
    return options.parse(list(argv), env or {}, ALL, "/results")


class OptionsTest(unittest.TestCase):

    def test_defaults(self):
        o = parse()
        self.assertEqual((o.warmup, o.duration, o.rounds, o.server_warmup, o.idle_conns, o.build, o.out),
                         (1, 5, 1, 5, None, True, "/results"))
        self.assertEqual(o.peers, ("echoack", "echoack-uring", "c-epoll", "c-fork", "socat", "node", "go"))
        self.assertEqual([s.id for s in o.scenarios], [s.id for s in ALL])
        self.assertEqual((o.base_port, o.server_cpu, o.client_cpu, o.loadgen), (61300, "1", "0", None))

    def test_a_later_option_wins(self):
        self.assertEqual(parse("--quick", "--duration", "3").duration, 3)
        self.assertEqual(parse("--duration", "3", "--quick").duration, 2)

    def test_peers_and_scenarios_run_in_their_own_order_with_reference_builds_last(self):
        with tempfile.TemporaryDirectory() as tmp:
            jars = [os.path.join(tmp, f"echoack-server-{n}.jar") for n in ("bbb", "aaa")]
            for jar in jars:
                open(jar, "w").close()
            o = parse("--peers", "node,echoack", "--scenarios", "rss-10k,tcp-1", "--ref", jars[0], "--ref", jars[1],
                      "--no-build", "--out", "/x")
            self.assertEqual(o.peers, ("echoack", "node", "ref-aaa", "ref-bbb"))
            self.assertEqual(o.ref_jars, {"ref-bbb": os.path.realpath(jars[0]), "ref-aaa": os.path.realpath(jars[1])})
        self.assertEqual([s.id for s in o.scenarios], ["tcp-1", "rss-10k"])
        self.assertEqual((o.build, o.out), (False, "/x"))

    def test_environment(self):
        o = parse(env={"BENCH_BASE_PORT": "62000", "BENCH_LOADGEN": "my-bench --fast", "BENCH_SERVER_ARGS": "--threads 1",
                       "BENCH_SERVER_CPU": "3", "BENCH_CLIENT_CPU": "2"})
        self.assertEqual((o.base_port, o.loadgen, o.server_args, o.server_cpu, o.client_cpu),
                         (62000, ["my-bench", "--fast"], "--threads 1", "3", "2"))

    def test_bad_input_names_what_was_typed(self):
        cases = [
            (["--rounds", "x"], "--warmup, --duration, --rounds and --idle-conns take whole numbers"),
            (["--duration", "0"], "--warmup, --duration, --rounds and --idle-conns take whole numbers"),
            (["--idle-conns", "0"], "--warmup, --duration, --rounds and --idle-conns take whole numbers"),
            (["--peers", "c-epol"], "unknown peer 'c-epol' (peers: echoack echoack-uring c-epoll c-fork socat node go)"),
            (["--scenarios", "tcp-2"], "unknown scenario 'tcp-2' (scenarios: " + " ".join(s.id for s in ALL) + ")"),
            (["--ref", "/no/such.jar"], "--ref /no/such.jar: no such file"),
            (["--peers"], "--peers needs a value"),
            (["--bogus"], "unknown argument '--bogus'"),
        ]
        for argv, message in cases:
            with self.subTest(argv=argv), self.assertRaises(options.UsageError) as e:
                parse(*argv)
            self.assertEqual(str(e.exception), message)
        with self.assertRaises(options.UsageError) as e:
            parse(env={"BENCH_BASE_PORT": "high"})
        self.assertEqual(str(e.exception), "BENCH_BASE_PORT=high: not a port number")


class RunCommandLineTest(unittest.TestCase):

    def run_bench(self, *argv):
        return subprocess.run([os.path.join(BENCH, "run"), *argv], capture_output=True, text=True, timeout=60)

    def test_help_prints_the_usage(self):
        p = self.run_bench("--help")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, options.USAGE)

    def test_an_unknown_argument_exits_2_with_the_usage(self):
        p = self.run_bench("--bogus")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr, "bench/run: unknown argument '--bogus'\n" + options.USAGE)


if __name__ == "__main__":
    unittest.main()
