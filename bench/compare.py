#!/usr/bin/env python3
"""Before/after verdict from one bench/run with --ref: did any scenario lose more than a tolerance?

    bench/compare.py [RESULTS.json] [--base ref-SHA] [--candidate echoack] [--tolerance 0.05]

RESULTS.json defaults to bench/results/latest.json; --base defaults to the only ref-* peer in it.

Every scenario ran against both servers in turn, round after round, so round i of one and round i of the
other saw the same machine. The ratios are therefore paired: one per round, candidate over base, and the
verdict uses their median (the spread, min..max, says how much the machine moved between rounds).

What counts as a loss, per scenario:
  * msgs/s: median paired ratio below 1 - tolerance;
  * server CPU per message: median paired ratio (candidate / base) above 1 + tolerance; this is the
    server's own cost, and the only fair measure where the load generator, not the server, set msgs/s;
  * p99 (only where the p99 is a target, see benchsuite/targets.py): median paired ratio above 1 + tolerance;
  * RSS (the memory scenarios, measured once per run): candidate / base above 1 + tolerance.

Prints one line per scenario and a verdict; exits 0 when nothing lost more than the tolerance, 1 when
something did, 2 on bad input.
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchsuite import scenarios, targets  # noqa: E402

LATENCY_SCENARIOS = targets.latency_scenarios()


def paired(base, cand, key):
    """Ratios cand/base of `key`, one per round where both have a value."""
    out = []
    for b, c in zip(base.get("rounds") or [], cand.get("rounds") or []):
        bv, cv = b.get(key), c.get(key)
        if b.get("status") == "ok" and c.get("status") == "ok" and bv and cv:
            out.append(cv / bv)
    if not out and base.get(key) and cand.get(key):
        out.append(cand[key] / base[key])  # a single measurement (no per-round data)
    return out


def steal(result):
    values = [r.get("steal_cores") for r in result.get("rounds") or [] if r.get("steal_cores") is not None]
    if not values and result.get("steal_cores") is not None:
        values = [result["steal_cores"]]
    return max(values) if values else None


def describe(ratios):
    if not ratios:
        return None, "      n/a          "
    m = statistics.median(ratios)
    return m, f"{m:5.3f} ({min(ratios):.2f}..{max(ratios):.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default=os.path.join(os.path.dirname(__file__), "results", "latest.json"))
    ap.add_argument("--base")
    ap.add_argument("--candidate", default="echoack")
    ap.add_argument("--tolerance", type=float, default=0.05)
    args = ap.parse_args()
    try:
        with open(args.results) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"bench/compare.py: cannot read {args.results}: {e}", file=sys.stderr)
        return 2
    peers = data.get("config", {}).get("peers", [])
    base = args.base
    if base is None:
        refs = [p for p in peers if p.startswith("ref-")]
        if len(refs) != 1:
            print(f"bench/compare.py: say --base (peers in this run: {', '.join(peers)})", file=sys.stderr)
            return 2
        base = refs[0]
    for p in (base, args.candidate):
        if p not in peers:
            print(f"bench/compare.py: no peer {p} in this run (peers: {', '.join(peers)})", file=sys.stderr)
            return 2

    tol = args.tolerance
    rounds = data.get("config", {}).get("rounds")
    print(f"{args.candidate} against {base}: median of {rounds} paired round(s) (min..max); "
          f"a loss is more than {tol:.0%} worse")
    print(f"{'scenario':<9} | {'msgs/s ratio':<19} | {'CPU/msg ratio':<19} | {'p99 ratio':<19} | max steal | verdict")
    losses = []
    measured = 0
    all_scenarios = scenarios.load()
    for scenario in data.get("scenarios", []):
        sid = scenario["id"]
        kind = scenario.get("kind") or scenarios.kind_of(sid, all_scenarios)
        res = scenario.get("results", {})
        b, c = res.get(base), res.get(args.candidate)
        if not b or not c or b.get("status") != "ok" or c.get("status") != "ok":
            print(f"{sid:<9} | not measured for both")
            continue
        measured += 1
        if kind == scenarios.MEMORY:
            r = c["rss_mb"] / b["rss_mb"]
            lost = r > 1 + tol
            print(f"{sid:<9} | RSS {c['rss_mb']:.1f} / {b['rss_mb']:.1f} MB = {r:.3f}"
                  f"{'':<28} | {'LOSS' if lost else 'ok'}")
            if lost:
                losses.append(f"{sid}: RSS ratio {r:.3f}")
            continue
        rate_m, rate_s = describe(paired(b, c, "msgs_per_s"))
        cpu_m, cpu_s = describe(paired(b, c, "server_cpu_us_per_msg"))
        p99_m, p99_s = describe(paired(b, c, "p99_us"))
        why = []
        if rate_m is not None and rate_m < 1 - tol:
            why.append(f"msgs/s {rate_m:.3f}")
        if cpu_m is not None and cpu_m > 1 + tol:
            why.append(f"CPU/msg {cpu_m:.3f}")
        if sid in LATENCY_SCENARIOS and p99_m is not None and p99_m > 1 + tol:
            why.append(f"p99 {p99_m:.3f}")
        st = max(x for x in (steal(b), steal(c), 0.0) if x is not None)
        print(f"{sid:<9} | {rate_s:<19} | {cpu_s:<19} | {p99_s:<19} | {st:9.2f} | {'LOSS' if why else 'ok'}")
        if why:
            losses.append(f"{sid}: {', '.join(why)}")
    if not measured:
        print("bench/compare.py: no scenario measured for both peers", file=sys.stderr)
        return 2
    if losses:
        print(f"verdict: {len(losses)} scenario(s) lost more than {tol:.0%}: " + "; ".join(losses))
        return 1
    print(f"verdict: no scenario lost more than {tol:.0%} ({measured} measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
