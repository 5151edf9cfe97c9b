"""The report renders the stored results as the bench/run that measured them printed them, and bench/compare.py
gives the verdicts stored next to them; a run's records become the numbers latest.json holds."""
import glob
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reports  # noqa: E402
from benchsuite import report, scenarios, table, targets  # noqa: E402

STORED = sorted(p for p in glob.glob(os.path.join(BENCH, "results", "*.json"))
                if os.path.exists(p[:-len(".json")] + ".txt"))


def stored_text(json_path):
    """The .txt written with the .json: the report, then (in some) compare.py transcripts after a "$ " line."""
    with open(json_path[:-len(".json")] + ".txt") as f:
        lines = f.read().splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("$ ")), len(lines))
    while end and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:end])


def transcripts(txt_path):
    """(command, the lines it printed) of each "$ " line in a stored .txt."""
    with open(txt_path) as f:
        lines = f.read().splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("$ "):
            printed = []
            for following in lines[i + 1:]:
                if following.startswith("$ "):
                    break
                printed.append(following)
            while printed and not printed[-1].strip():
                printed.pop()
            out.append((line[2:], printed))
    return out


class StoredResultsTest(unittest.TestCase):

    def test_there_are_stored_results_to_check(self):
        self.assertGreaterEqual(len(STORED), 5)

    def test_report_show_prints_a_stored_run_as_it_was_printed(self):
        for path in STORED:
            with self.subTest(results=os.path.basename(path)):
                p = subprocess.run([sys.executable, os.path.join(BENCH, "report.py"), "--show", path],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stdout.rstrip("\n"), stored_text(path))

    def test_the_table_and_targets_are_those_stored_in_the_json(self):
        all_scenarios = scenarios.load()
        for path in STORED:
            with self.subTest(results=os.path.basename(path)), open(path) as f:
                doc = json.load(f)
                rows = [(s["id"], scenarios.kind_of(s["id"], all_scenarios), s["description"]) for s in doc["scenarios"]]
                results = {s["id"]: s["results"] for s in doc["scenarios"]}
                lines, _ = table.build(rows, doc["config"]["peers"], results)
                self.assertEqual(lines, doc["table"])
                self.assertEqual(targets.evaluate(results, doc["config"]["idle_connections"],
                                                  doc["config"].get("targets_version", 1)), doc["targets"])
                ratios = report.document(doc["machine"], doc["config"], rows, results, lines, [])["scenarios"]
                self.assertEqual([s["echoack_ratio"] for s in ratios], [s["echoack_ratio"] for s in doc["scenarios"]])

    def test_compare_prints_the_stored_verdicts(self):
        checked = 0
        for txt in sorted(glob.glob(os.path.join(BENCH, "results", "*.txt"))):
            for command, printed in transcripts(txt):
                with self.subTest(command=command):
                    argv = shlex.split(command)
                    argv = argv[1:] if argv[0] == "python3" else argv
                    p = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
                    self.assertIn(p.returncode, (0, 1), p.stderr)
                    self.assertEqual(p.stdout.rstrip("\n").splitlines(), printed)
                    checked += 1
        self.assertGreaterEqual(checked, 4)


class RunRecordsTest(unittest.TestCase):
    """From the records bench/run writes to the numbers of latest.json: one traffic scenario over two rounds
    whose CPU samples say the server used one core, and one memory scenario."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))

    def traffic_run(self, peer, round_no, rate):
        """A record whose server burned 100 ticks/s (CLK_TCK 100: one core) from t=1.0 to t=3.0."""
        name = f"{peer}-tcp-64-r{round_no}"
        bench = os.path.join(self.tmp, name + ".json")
        with open(bench, "w") as f:
            json.dump({"msgs_per_s": rate, "duration_s": 2, "latency_us": {"p99": 100 * round_no}, "errors": {}}, f)
        samples = os.path.join(self.tmp, name + ".cpu")
        with open(samples, "w") as f:
            for k in range(41):
                ticks = 10 * min(max(k - 10, 0), 20)
                f.write(f"{k / 10:.1f} {ticks} {ticks // 2} {ticks * 2} 0 {ticks // 4}\n")
        return {"peer": peer, "scenario": "tcp-64", "status": "ok", "round": round_no, "exit_code": 0, "json": bench,
                "cpu_samples": samples, "server_ticks": 200, "clk_tck": 100, "warmup_s": 1, "duration_s": 2}

    def test_records_become_the_numbers_of_latest_json(self):
        runs = [
            {"peer": "echoack", "scenario": "rss-10k", "status": "ok", "rss_kb": 50000, "hwm_kb": 60000,
             "rss_anon_kb": 40000, "rss_file_kb": 10000, "rss_idle_kb": 30000, "connections": 1000,
             "requested": 1000, "server_fds_added": 1000},
            {"peer": "c-epoll", "scenario": "rss-10k", "status": "ok", "rss_kb": 2000, "rss_idle_kb": 1500,
             "connections": 1000},
            self.traffic_run("echoack", 1, 1000), self.traffic_run("c-epoll", 1, 2000),
            self.traffic_run("c-epoll", 2, 4000), self.traffic_run("echoack", 2, 3000),
        ]
        by_id = {s.id: s for s in scenarios.load()}
        rows = [(sid, by_id[sid].kind, by_id[sid].with_connections(1000).describe()) for sid in ("tcp-64", "rss-10k")]
        out = os.path.join(self.tmp, "out")
        doc = reports.write(out, rows, runs)
        tcp, rss = doc["scenarios"]
        self.assertEqual([tcp["id"], tcp["kind"], rss["id"], rss["kind"]], ["tcp-64", "traffic", "rss-10k", "memory"])
        self.assertEqual(rss["description"], "server RSS with 1,000 idle TCP connections")
        mine = tcp["results"]["echoack"]
        self.assertEqual(mine["msgs_per_s"], 2000)                      # median of 1000 and 3000
        self.assertEqual(mine["p99_us"], 150)
        self.assertAlmostEqual(mine["server_cores"], 1.0)               # 100 ticks/s at CLK_TCK 100
        self.assertAlmostEqual(mine["server_cpu_us_per_msg"], (1e6 / 1000 + 1e6 / 3000) / 2, places=3)  # median
        self.assertAlmostEqual(mine["loadgen_cores"], 0.5)
        self.assertAlmostEqual(mine["other_cores"], 0.5)                # busy 2 cores - server 1 - load generator 0.5
        self.assertEqual(len(mine["rounds"]), 2)
        self.assertAlmostEqual(tcp["echoack_ratio"]["c-epoll"], 2000 / 3000)
        self.assertEqual(rss["results"]["echoack"]["rss_mb"], 51.2)      # 50,000 KiB in 10^6 bytes
        self.assertEqual(rss["results"]["echoack"]["bytes_per_connection"], 20480)
        self.assertAlmostEqual(rss["echoack_ratio"]["c-epoll"], 51.2 / 2.0)
        with open(os.path.join(out, "latest.txt")) as f:
            text = f.read()
        self.assertIn(f"rss-10k     | {'51.2 MB':>28} | {'2.0 MB':>28} |   25.60x\n", text)
        self.assertIn("PASS  RSS with 1,000 idle TCP conns  51.2 MB < 100 MB", text)
        self.assertEqual(doc["table"], [line for line in text.splitlines() if line in doc["table"]])


if __name__ == "__main__":
    unittest.main()
