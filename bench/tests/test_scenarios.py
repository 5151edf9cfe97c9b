"""The scenario file is the one source of the scenarios: bench/run, bench/report.py and bench/compare.py
read it, and no scenario is written anywhere else."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH)
from benchsuite import peers, scenarios  # noqa: E402

# The performance targets name the scenarios they judge; that is the one other place an id may appear.
ALLOWED = {os.path.join("benchsuite", "targets.py")}


def code_files():
    yield "run"
    for name in ("report.py", "compare.py"):
        yield name
    for name in sorted(os.listdir(os.path.join(BENCH, "benchsuite"))):
        if name.endswith(".py"):
            yield os.path.join("benchsuite", name)


class ScenarioFileTest(unittest.TestCase):

    def test_the_file_defines_every_scenario_once_with_a_known_kind(self):
        loaded = scenarios.load()
        ids = [s.id for s in loaded]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertIn("rss-10k", ids)
        self.assertEqual({s.kind for s in loaded}, set(scenarios.KINDS))
        self.assertEqual(next(s for s in loaded if s.id == "rss-10k").describe(),
                         "server RSS with 10,000 idle TCP connections")

    def test_no_scenario_id_is_written_in_the_code(self):
        ids = [s.id for s in scenarios.load()]
        found = []
        for rel in code_files():
            if rel in ALLOWED:
                continue
            with open(os.path.join(BENCH, rel)) as f:
                for number, line in enumerate(f, 1):
                    for sid in ids:
                        if re.search(r"(?<![\w-])" + re.escape(sid) + r"(?![\w-])", line):
                            found.append(f"bench/{rel}:{number}: {sid}")
        self.assertEqual(found, [], "scenario ids belong in bench/scenarios.txt only")

    def test_the_readme_table_lists_the_scenarios_of_the_file(self):
        with open(os.path.join(BENCH, "README.md")) as f:
            readme = f.read()
        section = readme.split("## Scenarios", 1)[1].split("\n## ", 1)[0]
        listed = re.findall(r"^\| `([\w-]+)` \|", section, re.M)
        self.assertEqual(listed, [s.id for s in scenarios.load()])

    def test_a_bad_line_is_named_by_file_line_and_value(self):
        cases = {
            "tcp-9 trafic tcp 1 64 1 desc": "kind 'trafic' of tcp-9 is not one of traffic, connect-per-message, memory, server-start, client-start, loadgen",
            "tcp-9 traffic sctp 1 64 1 desc": "transport 'sctp' of tcp-9 is not tcp, udp, unix",
            "tcp-9 traffic tcp x 64 1 desc": "connections 'x' of tcp-9 is not a whole number above 0",
            "tcp-9 traffic tcp 1 0 1 desc": "size '0' of tcp-9 is not a whole number above 0",
            "rss-9 memory tcp 10 64 - desc": "size '64' of rss-9: a memory scenario sends no messages, write -",
            "rss-9 memory udp 10 - - desc": "transport 'udp' of rss-9 is not tcp (idle connections are TCP)",
            "srv-9 server-start tcp 5 - - desc": "transport 'tcp' of srv-9: a server-start scenario starts the server on "
                                                 "every transport and sends nothing, write -",
            "cli-9 client-start tcp 5 2 1 desc": "pipeline '1' of cli-9: a client-start scenario sends one message, write -",
            "tcp-9 traffic tcp 1 64": "5 columns, want 7: id kind transport connections size pipeline description",
        }
        for line, message in cases.items():
            with self.subTest(line=line), tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "scenarios.txt")
                with open(path, "w") as f:
                    f.write("# a comment\n\n" + line + "\n")
                with self.assertRaises(scenarios.ScenarioFileError) as e:
                    scenarios.load(path)
                self.assertEqual(str(e.exception), f"{path}:3: {message}")

    def test_a_repeated_id_names_both_lines(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "scenarios.txt")
            with open(path, "w") as f:
                f.write("a traffic tcp 1 64 1 one\nb traffic tcp 1 64 1 two\na traffic udp 1 64 1 three\n")
            with self.assertRaises(scenarios.ScenarioFileError) as e:
                scenarios.load(path)
            self.assertEqual(str(e.exception), f"{path}:3: scenario 'a' is already on line 1")

    def test_what_a_peer_runs_follows_the_kind(self):
        by_id = {s.id: s for s in scenarios.load()}
        fork, socat, echoack = (peers.peer(n, "server.jar", {}) for n in ("c-fork", "socat", "echoack"))
        self.assertIsNone(fork.skip_reason(by_id["tcp-cpm-16"]))
        self.assertEqual(fork.skip_reason(by_id["tcp-1"]), "serves one message per connection (TCP only)")
        self.assertEqual(fork.skip_reason(by_id["rss-10k"]), "c-fork forks a process per connection")
        self.assertEqual(socat.skip_reason(by_id["rss-10k"]), "socat forks a process per connection")
        self.assertIsNone(socat.skip_reason(by_id["udp-16"]))
        loadgens = [s.id for s in by_id.values() if s.kind == scenarios.LOADGEN]
        self.assertEqual([s.id for s in by_id.values() if echoack.skip_reason(s)], loadgens)
        self.assertEqual(echoack.skip_reason(by_id[loadgens[0]]), "the load generators are compared against c-epoll only")
        self.assertIsNone(peers.peer("c-epoll", "server.jar", {}).skip_reason(by_id[loadgens[0]]))


class ScenarioFileReadersTest(unittest.TestCase):
    """A copy of bench/ with another scenario file: the runner, the report and compare.py follow the file."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.bench = os.path.join(self.tmp, "bench")
        shutil.copytree(BENCH, self.bench, ignore=shutil.ignore_patterns("results", "tests", "__pycache__"))
        with open(os.path.join(self.bench, "scenarios.txt"), "w") as f:
            f.write("tcp-2     traffic  tcp  2     64  1  TCP, 2 connections\n"
                    "idle-2k   memory   tcp  2000  -   -  server RSS with {connections} idle TCP connections\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_tool(self, *argv):
        return subprocess.run(argv, capture_output=True, text=True, timeout=60)

    def stored_run(self, path, rss):
        """A latest.json as an older bench/run wrote it (no kind): idle-2k measured for echoack and ref-a."""
        doc = {
            "machine": {"date": "2026-01-01T00:00:00+00:00", "nproc": 2, "cpu_model": "cpu", "kernel": "6",
                        "java_version": "java 17", "pinning": "none"},
            "config": {"warmup_s": 1.0, "duration_s": 5.0, "rounds": 1, "server_warmup_s_per_transport": 5.0,
                       "idle_connections": 2000, "peers": ["echoack", "ref-a"], "wall_time_s": 10.0},
            "scenarios": [{"id": "idle-2k", "description": "server RSS with 2,000 idle TCP connections",
                           "results": {p: {"status": "ok", "rss_mb": mb} for p, mb in rss.items()}}],
        }
        with open(path, "w") as f:
            json.dump(doc, f)

    def test_the_runner_knows_the_scenarios_of_the_file(self):
        p = self.run_tool(os.path.join(self.bench, "run"), "--scenarios", "tcp-1")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr, "bench/run: unknown scenario 'tcp-1' (scenarios: tcp-2 idle-2k)\n")

    def test_the_report_shows_a_memory_scenario_of_the_file_in_MB(self):
        stored = os.path.join(self.tmp, "latest.json")
        self.stored_run(stored, {"echoack": 50.0, "ref-a": 40.0})
        p = self.run_tool(sys.executable, os.path.join(self.bench, "report.py"), "--show", stored)
        self.assertEqual(p.returncode, 0, p.stderr)
        row = next(line for line in p.stdout.splitlines() if line.startswith("idle-2k"))
        self.assertEqual(row.split("|")[1:], [f" {'50.0 MB':>28} ", f" {'40.0 MB':>28} ", "    1.25x"])

    def test_compare_judges_a_memory_scenario_of_the_file_by_RSS(self):
        stored = os.path.join(self.tmp, "latest.json")
        self.stored_run(stored, {"echoack": 50.0, "ref-a": 40.0})
        p = self.run_tool(sys.executable, os.path.join(self.bench, "compare.py"), stored)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("idle-2k   | RSS 50.0 / 40.0 MB = 1.250", p.stdout)
        self.assertIn("verdict: 1 scenario(s) lost more than 5%: idle-2k: RSS ratio 1.250", p.stdout)


if __name__ == "__main__":
    unittest.main()
