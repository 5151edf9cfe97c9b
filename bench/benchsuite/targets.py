"""The performance targets: echoack against c-epoll, measured in the same run."""
from . import fmt, traffic

REFERENCE = "c-epoll"
MEASURED = "echoack"

# (scenario, kind, bound, label): kind "ratio" = echoack msgs/s / c-epoll msgs/s >= bound,
# "rss" = echoack RSS in MB < bound, "p99" = echoack p99 / c-epoll p99 <= bound,
# "cpu" = echoack server CPU per message / c-epoll's <= bound (per connection in a connect-per-message scenario,
# per MB where every message has the same size), "peak" = echoack's peak RSS (VmHWM) in MB <= bound,
# "ms" = echoack's median wall time in ms <= bound (the start kinds).
# Version 1: the targets until issue 14; stored runs without a targets_version were judged by these.
TARGETS_V1 = [
    ("tcp-1", "ratio", 0.95, "TCP ping-pong 1 conn 64 B"),
    ("tcp-64", "ratio", 0.90, "TCP 64 conns 64 B"),
    ("tcp-cpm", "ratio", 0.80, "TCP connection per message"),
    ("tcp-16k", "ratio", 0.90, "TCP streaming 16 KiB"),
    ("udp-16", "ratio", 0.80, "UDP ping-pong 16 flows"),
    ("unix-1", "ratio", 0.90, "Unix stream ping-pong 1 conn"),
    ("rss-10k", "rss", 100.0, "RSS with idle TCP conns"),
    ("tcp-64", "p99", 2.0, "p99 latency at 64 conns"),
]
# Version 2 (issue 14): the throughput ratios stay; the server's own cost, latency, memory and start times join.
TARGETS_V2 = [
    ("tcp-1", "ratio", 0.95, "TCP ping-pong 1 conn 64 B"),
    ("tcp-64", "ratio", 0.90, "TCP 64 conns 64 B"),
    ("tcp-cpm", "ratio", 0.90, "TCP connection per message"),
    ("tcp-16k", "ratio", 0.90, "TCP streaming 16 KiB"),
    ("udp-16", "ratio", 0.80, "UDP ping-pong 16 flows"),
    ("unix-1", "ratio", 0.90, "Unix stream ping-pong 1 conn"),
    ("tcp-64", "cpu", 1.05, "server CPU/msg, TCP 64 conns"),
    ("tcp-1", "cpu", 1.10, "server CPU/msg, TCP 1 conn"),
    ("unix-1", "cpu", 1.10, "server CPU/msg, Unix 1 conn"),
    ("tcp-cpm", "cpu", 1.30, "server CPU per connection"),
    ("tcp-16k", "cpu", 1.05, "server CPU/MB, TCP 16 KiB"),
    ("tcp-64", "p99", 1.2, "p99 latency at 64 conns"),
    ("rss-10k", "rss", 64.0, "RSS with idle TCP conns"),
    ("rss-10k", "peak", 80.0, "peak RSS accepting them"),
    ("cli-send", "ms", 200.0, "bin/echoack send, wall"),
    ("srv-start", "ms", 300.0, "server start to serving"),
]
VERSIONS = {1: TARGETS_V1, 2: TARGETS_V2}
VERSION = 2  # what a new run is judged by (bench/run stores it as config.targets_version)
TARGETS = VERSIONS[VERSION]

# Evaluated only in a run that measured them (so that the stored runs from before them render as they were):
# "loadgen" = echoack bench's msgs/s / the C load generator's against c-epoll >= bound (the loadgen kind).
WHEN_MEASURED = [
    ("lg-tcp-64", "loadgen", 0.90, "bench vs C loadgen, TCP 64"),
    ("lg-udp-16", "loadgen", 0.90, "bench vs C loadgen, UDP 16"),
]


def latency_scenarios():
    """The scenarios whose p99 is a target (bench/compare.py also calls a higher p99 a loss there)."""
    return {sid for sid, kind, _, _ in TARGETS if kind == "p99"}


def evaluate(results, idle_conns, version=1):
    """The targets of that version (a stored run's config.targets_version; 1 for runs from before versions)."""
    measured = [t for t in WHEN_MEASURED if (results.get(t[0], {}).get(REFERENCE) or {}).get("loadgen_ratio") is not None]
    return [evaluate_one(results, sid, kind, bound, label, idle_conns)
            for sid, kind, bound, label in VERSIONS[version] + measured]


def evaluate_one(results, sid, kind, bound, label, idle_conns):
    mine = results.get(sid, {}).get(MEASURED) or {}
    ref = results.get(sid, {}).get(REFERENCE) or {}
    value, verdict, detail = None, "n/a", ""
    if kind == "ratio":
        value = fmt.ratio(mine.get("msgs_per_s"), ref.get("msgs_per_s"))
        if value is not None:
            verdict = "PASS" if value >= bound else "MISS"
            eff = fmt.ratio(ref.get("server_cpu_us_per_msg"), mine.get("server_cpu_us_per_msg"))
            detail = (f"{value:.2f}x >= {bound:.2f}x  ({fmt.rate(mine['msgs_per_s'])} vs "
                      f"{fmt.rate(ref['msgs_per_s'])} msgs/s; server CPU {fmt.num(mine.get('server_cpu_us_per_msg'), 2)} vs "
                      f"{fmt.num(ref.get('server_cpu_us_per_msg'), 2)} us/msg"
                      f"{f' = {eff:.2f}x as efficient' if eff is not None else ''})")
    elif kind == "rss":
        value = mine.get("rss_mb")
        if value is not None:
            verdict = "PASS" if value < bound and mine.get("status") == "ok" else "MISS"
            anon = mine.get("rss_anon_kb")
            hwm = mine.get("hwm_kb")
            detail = (f"{value:.1f} MB < {bound:.0f} MB  (settled; idle server {mine.get('rss_idle_mb')} MB; "
                      f"{f'peak {fmt.mb(hwm):.1f} MB; ' if hwm else ''}"
                      f"{f'anonymous {fmt.mb(anon):.1f} MB; ' if anon else ''}"
                      f"{mine.get('connections')} connections; c-epoll {ref.get('rss_mb', '-')} MB)")
            label = f"RSS with {idle_conns:,} idle TCP conns"
    elif kind == "loadgen":
        value = ref.get("loadgen_ratio")
        verdict = "PASS" if value >= bound else "MISS"
        detail = (f"{value:.2f}x >= {bound:.2f}x  (echoack bench --threads 1 {fmt.rate(ref['msgs_per_s'])} vs C "
                  f"{fmt.rate(ref['c_msgs_per_s'])} msgs/s on the same core; CPU "
                  f"{fmt.num(ref.get('loadgen_cpu_us_per_msg'), 2)} vs {fmt.num(ref.get('c_loadgen_cpu_us_per_msg'), 2)} "
                  f"us/msg)")
    elif kind == "cpu":
        value = fmt.ratio(mine.get("server_cpu_us_per_msg"), ref.get("server_cpu_us_per_msg"))
        if value is not None:
            verdict = "PASS" if value <= bound else "MISS"
            detail = (f"{value:.2f}x <= {bound:.2f}x  ({fmt.num(mine['server_cpu_us_per_msg'], 2)} vs "
                      f"{fmt.num(ref['server_cpu_us_per_msg'], 2)} us of server CPU per message)")
    elif kind == "peak":
        hwm = mine.get("hwm_kb")
        if hwm:
            value = fmt.mb(hwm)
            verdict = "PASS" if value <= bound and mine.get("status") == "ok" else "MISS"
            detail = f"{value:.1f} MB <= {bound:.0f} MB  (VmHWM while accepting {mine.get('connections')} connections)"
    elif kind == "ms":
        value = mine.get("median_ms")
        if value is not None:
            verdict = "PASS" if value <= bound else "MISS"
            detail = (f"{value:.0f} ms <= {bound:.0f} ms  (median of {len(mine.get('samples_ms') or [])}; "
                      f"min {fmt.num(mine.get('min_ms'))}, max {fmt.num(mine.get('max_ms'))} ms)")
    elif kind == "p99":
        value = fmt.ratio(mine.get("p99_us"), ref.get("p99_us"))
        if value is not None:
            verdict = "PASS" if value <= bound else "MISS"
            shown = f"{bound:.0f}" if float(bound).is_integer() else f"{bound:.2f}"
            detail = f"{value:.2f}x <= {shown}x  ({fmt.num(mine['p99_us'])} vs {fmt.num(ref['p99_us'])} us)"
    noisy = kind not in ("rss", "peak") and any("~" in traffic.marks(r) for r in ((ref,) if kind == "loadgen" else (mine, ref)) if r)
    if verdict == "n/a":
        detail = "not measured in this run (scenario or peer filtered, skipped or failed)"
    elif noisy:
        detail += "  [~ busy machine: unreliable]"
    elif kind == "loadgen" and ref.get("errors"):
        detail += f"  [load generator errors: {ref['errors']}]"
    elif kind != "loadgen" and mine.get("errors"):
        detail += f"  [echoack errors: {mine['errors']}]"
    entry = {"scenario": sid, "target": label, "kind": kind, "bound": bound,
             "value": round(value, 4) if value is not None else None, "verdict": verdict, "detail": detail,
             "measured_on_busy_machine": noisy}
    if kind == "ratio":
        entry["cpu_efficiency_ratio"] = fmt.ratio(ref.get("server_cpu_us_per_msg"), mine.get("server_cpu_us_per_msg"))
    return entry
