#!/usr/bin/env python3
"""The report of a bench/run invocation again, or of a stored one.

    bench/report.py --show RESULTS.json      prints the text (table, targets) of a stored latest.json
    bench/report.py --runs RESULTS/logs/runs.jsonl --out DIR [--plot 0]
                                             writes DIR/latest.{txt,json,png} again from a run's records
                                             (bench/run keeps them, with the JSON and CPU samples they
                                             name, under results/logs/)

bench/run writes the report itself (bench/benchsuite/report.py); this is for reading results later.
Standard library only.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchsuite import report, runs, scenarios  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", metavar="RESULTS.json", help="print the text of a stored latest.json")
    what.add_argument("--runs", metavar="RUNS.jsonl", help="a run's records (results/logs/runs.jsonl)")
    ap.add_argument("--out", help="with --runs: where latest.* go")
    ap.add_argument("--plot", type=int, default=1, help="with --runs: 0 = no PNG")
    args = ap.parse_args()
    all_scenarios = scenarios.load()
    if args.show:
        print(report.show(args.show, all_scenarios))
        return 0
    if not args.out:
        ap.error("--runs needs --out DIR")
    # The configuration and machine of that run are in the latest.json it wrote, next to its logs/.
    stored = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.runs))), "latest.json")
    with open(stored) as f:
        doc = json.load(f)
    rows = [(s["id"], s.get("kind") or scenarios.kind_of(s["id"], all_scenarios), s["description"])
            for s in doc["scenarios"]]
    report.write(args.out, doc["machine"], doc["config"], rows, runs.read(args.runs), plot=bool(args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
