"""The targets: each kind's verdict, and which version judges a run."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchsuite import targets  # noqa: E402


def verdicts(results, version):
    return {(t["scenario"], t["kind"]): t["verdict"] for t in targets.evaluate(results, 10_000, version)}


class TargetsTest(unittest.TestCase):

    RESULTS = {
        "tcp-64": {"echoack": {"server_cpu_us_per_msg": 5.0, "msgs_per_s": 100.0, "p99_us": 130.0},
                   "c-epoll": {"server_cpu_us_per_msg": 4.9, "msgs_per_s": 100.0, "p99_us": 100.0}},
        "rss-10k": {"echoack": {"rss_mb": 63.0, "hwm_kb": 90_000, "status": "ok", "connections": 10_000},
                    "c-epoll": {"rss_mb": 2.0}},
        "cli-send": {"echoack": {"median_ms": 180.0, "samples_ms": [180.0], "min_ms": 180.0, "max_ms": 180.0}},
        "srv-start": {"echoack": {"median_ms": 320.0, "samples_ms": [320.0], "min_ms": 320.0, "max_ms": 320.0}},
    }

    def test_version_2_judges_the_servers_cost_memory_and_start_times(self):
        v = verdicts(self.RESULTS, 2)
        self.assertEqual(v[("tcp-64", "cpu")], "PASS")      # 1.02x <= 1.05x
        self.assertEqual(v[("tcp-64", "p99")], "MISS")      # 1.3x > 1.2x
        self.assertEqual(v[("rss-10k", "rss")], "PASS")     # 63 < 64 MB
        self.assertEqual(v[("rss-10k", "peak")], "MISS")    # 92.2 > 80 MB
        self.assertEqual(v[("cli-send", "ms")], "PASS")     # 180 <= 200 ms
        self.assertEqual(v[("srv-start", "ms")], "MISS")    # 320 > 300 ms
        self.assertEqual(v[("tcp-1", "cpu")], "n/a")        # not measured

    def test_version_1_is_what_runs_stored_without_a_version_were_judged_by(self):
        v = verdicts(self.RESULTS, 1)
        self.assertEqual(v[("tcp-64", "p99")], "PASS")      # 1.3x <= 2x
        self.assertEqual(v[("rss-10k", "rss")], "PASS")     # < 100 MB
        self.assertNotIn(("tcp-64", "cpu"), v)
        self.assertNotIn(("cli-send", "ms"), v)

    def test_no_target_of_version_2_is_lower_than_in_version_1(self):
        v1 = {(sid, kind): bound for sid, kind, bound, _ in targets.TARGETS_V1}
        for sid, kind, bound, _ in targets.TARGETS_V2:
            if (sid, kind) in v1:
                higher_is_better = kind == "ratio"
                self.assertTrue(bound >= v1[(sid, kind)] if higher_is_better else bound <= v1[(sid, kind)],
                                f"{sid} {kind}: {v1[(sid, kind)]} -> {bound}")


if __name__ == "__main__":
    unittest.main()
