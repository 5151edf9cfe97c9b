"""A run's report written from run records, as bench/run writes it, for the tests that read latest.json back."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchsuite import report  # noqa: E402

CONFIG = {"warmup_s": 1.0, "duration_s": 2.0, "rounds": 2, "server_warmup_s_per_transport": 5.0,
          "idle_connections": 1000, "peers": ["echoack", "c-epoll"], "wall_time_s": 1.0}
MACHINE = {"date": "2026-01-01T00:00:00+00:00", "nproc": 2, "cpu_model": "cpu", "kernel": "6",
           "java_version": "java 17", "pinning": "none"}


def write(out, rows, runs):
    """Writes the report of runs (rows: (id, kind, description)) to out quietly; returns its latest.json."""
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            report.write(out, MACHINE, dict(CONFIG), rows, runs, plot=False)
        finally:
            sys.stdout = stdout
    with open(os.path.join(out, "latest.json")) as f:
        return json.load(f)
