#!/usr/bin/env python3
"""Summarises a bench/run invocation: the table, the targets, latest.json and the PNG chart.

Standard library only. bench/run calls it in two ways:
  report.py --line RUNS      prints a one-line summary of the last record of RUNS (progress)
  report.py --runs RUNS --out DIR ...   writes DIR/latest.json, DIR/latest.txt, DIR/latest.png
RUNS holds one JSON object per line, written by bench/run: the peer, the scenario, a status, the path
of the `echoack bench --json` output, the server's CPU ticks and CPU samples, or the RSS readings.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys

REFERENCE = "c-epoll"
MEASURED = "echoack"

# (scenario, kind, bound, label): kind "ratio" = echoack msgs/s / c-epoll msgs/s >= bound,
# "rss" = echoack RSS in MB < bound, "p99" = echoack p99 / c-epoll p99 <= bound.
TARGETS = [
    ("tcp-1", "ratio", 0.95, "TCP ping-pong 1 conn 64 B"),
    ("tcp-64", "ratio", 0.90, "TCP 64 conns 64 B"),
    ("tcp-cpm", "ratio", 0.80, "TCP connection per message"),
    ("tcp-16k", "ratio", 0.90, "TCP streaming 16 KiB"),
    ("udp-16", "ratio", 0.80, "UDP ping-pong 16 flows"),
    ("unix-1", "ratio", 0.90, "Unix stream ping-pong 1 conn"),
    ("rss-10k", "rss", 100.0, "RSS with idle TCP conns"),
    ("tcp-64", "p99", 2.0, "p99 latency at 64 conns"),
]


def read_runs(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


RUNS_DIR = None  # where the runs file lies: bench/run copies the JSON and CPU samples to its json/ there


def relocated(path):
    """path, or its copy in RUNS_DIR/json/ once bench/run's temporary directory is gone."""
    if path and not os.path.exists(path) and RUNS_DIR:
        copy = os.path.join(RUNS_DIR, "json", os.path.basename(path))
        if os.path.exists(copy):
            return copy
    return path


def load_bench(run):
    path = relocated(run.get("json"))
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def error_count(bench):
    errors = bench.get("errors") or {}
    return sum(v for v in errors.values() if isinstance(v, (int, float)))


def parse_time(value):
    """started_at as epoch seconds, from an ISO-8601 string or a number (s or ms); None if unknown."""
    if isinstance(value, (int, float)):
        return value / 1000.0 if value > 1e11 else float(value)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def read_samples(path):
    """(time, server ticks, client ticks, machine busy ticks, machine steal ticks, server user ticks)
    tuples; columns missing from the file are None."""
    samples = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    extra = [int(x) for x in parts[2:6]]
                    samples.append((float(parts[0]), int(parts[1]), *(extra + [None] * (4 - len(extra)))))
    except (OSError, ValueError):
        pass
    return samples


def ticks_at(samples, t, col=1):
    """Column col of the samples (1 = the server's CPU ticks) at time t, interpolated."""
    if t <= samples[0][0]:
        return samples[0][col]
    for a, b in zip(samples, samples[1:]):
        if a[0] <= t <= b[0]:
            return a[col] + (b[col] - a[col]) * (t - a[0]) / (b[0] - a[0]) if b[0] > a[0] else b[col]
    return samples[-1][col]


def measurement_window(run, bench, samples):
    """The wall-clock interval over which the load generator counted its messages, trimmed by a guard.

    It is the last duration_s seconds of traffic; the end of traffic is where the server's CPU use drops
    (the load generator's tear-down, report and JVM exit follow it). The bench JSON's started_at is taken
    before connecting, so it only bounds the start: measuring begins warmup_s after it at the earliest.
    """
    duration = float(bench.get("duration_s") or run.get("duration_s") or 0)
    if duration <= 0:
        return None
    guard = min(0.5, duration / 8)
    busy = [i for i in range(3, len(samples)) if samples[i][1] - samples[i - 3][1] > 0]
    if not busy:
        return None
    peak = max(samples[i][1] - samples[i - 3][1] for i in busy)
    last = max(i for i in busy if samples[i][1] - samples[i - 3][1] >= 0.25 * peak)
    end = samples[last - 1][0]
    start = end - duration + guard
    started = parse_time(bench.get("started_at"))
    if started is not None:
        start = max(start, started + float(bench.get("warmup_s") or 0))
    return start, end - guard, "traffic end"


def cpu_use(run, bench):
    """Server CPU us per message over the measurement window, and the CPU use (in cores) in that window of
    the server, the load generator and everything else on the machine."""
    rate = bench.get("msgs_per_s") or 0
    samples = read_samples(relocated(run.get("cpu_samples", "")))
    out = {"server_cpu_us_per_msg": None, "server_cpu_window": None}
    if len(samples) >= 5 and rate > 0:
        window = measurement_window(run, bench, samples)
        if window and window[1] - window[0] >= 0.3:
            t0, t1, how = window
            span = t1 - t0
            tck = run["clk_tck"]
            cores = lambda col: (ticks_at(samples, t1, col) - ticks_at(samples, t0, col)) / tck / span
            server = cores(1)
            out.update({"server_cpu_us_per_msg": server * 1e6 / rate, "server_cpu_window": how,
                        "window_s": round(span, 2), "server_cores": round(server, 3)})
            if samples[0][5] is not None and server > 0:
                out["server_user_share"] = round(cores(5) / server, 3)
            if samples[0][2] is not None:
                client, busy, steal = cores(2), cores(3), cores(4)
                out.update({"loadgen_cores": round(client, 3), "machine_busy_cores": round(busy, 3),
                            "other_cores": round(max(0.0, busy - server - client), 3),
                            "steal_cores": round(steal, 3)})
            return out
    if rate > 0:  # whole-run fallback: warm-up and start-up included, so only roughly right
        span = run.get("warmup_s", 0) + float(bench.get("duration_s") or run.get("duration_s") or 0)
        if span > 0:
            total = run.get("server_ticks", 0) / run["clk_tck"]
            out.update({"server_cpu_us_per_msg": total * 1e6 / (rate * span), "server_cpu_window": "whole run"})
    return out


def summarise(run):
    """The numbers of one run record, flat: what the table, the chart and the JSON need."""
    out = {"status": run.get("status", "?")}
    if run["scenario"] == "rss-10k":
        for key in ("rss_kb", "hwm_kb", "rss_anon_kb", "rss_file_kb", "rss_idle_kb", "connections", "requested",
                    "server_fds_added"):
            if key in run:
                out[key] = run[key]
        if run.get("rss_kb"):
            out["rss_mb"] = round(run["rss_kb"] * 1024 / 1e6, 1)
            out["rss_idle_mb"] = round(run.get("rss_idle_kb", 0) * 1024 / 1e6, 1)
            n = run.get("connections") or 0
            if n:
                out["bytes_per_connection"] = round((run["rss_kb"] - run.get("rss_idle_kb", 0)) * 1024 / n)
        return out
    bench = load_bench(run)
    if bench is None:
        return out
    latency = bench.get("latency_us") or {}
    cpu = cpu_use(run, bench)
    out.update({
        "msgs_per_s": bench.get("msgs_per_s"),
        "mb_per_s": bench.get("mb_per_s"),
        "messages": bench.get("messages"),
        "p50_us": latency.get("p50"),
        "p99_us": latency.get("p99"),
        "p999_us": latency.get("p999"),
        "max_us": latency.get("max"),
        "errors": {k: v for k, v in (bench.get("errors") or {}).items() if v and k != "total"},
        **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in cpu.items()},
        "server_cpu_s_whole_run": round(run.get("server_ticks", 0) / run["clk_tck"], 2),
        "bench": bench,
    })
    return out


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


MEDIAN_KEYS = ("msgs_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "max_us", "server_cpu_us_per_msg",
               "server_user_share", "server_cores", "loadgen_cores", "machine_busy_cores", "other_cores", "steal_cores")


def combine(summaries):
    """One result from the rounds of a peer and scenario: the median of each number over the rounds that
    produced one; errors summed; every round kept under "rounds"."""
    if len(summaries) == 1:
        return summaries[0]
    good = [s for s in summaries if s.get("msgs_per_s") is not None]
    if not good:
        out = dict(summaries[0])
    else:
        out = {"status": "ok" if len(good) == len(summaries) else
               f"{len(summaries) - len(good)} of {len(summaries)} rounds failed: " +
               next(s["status"] for s in summaries if s.get("msgs_per_s") is None)}
        for key in MEDIAN_KEYS:
            out[key] = median(s.get(key) for s in good)
        errors = {}
        for s in good:
            for k, v in (s.get("errors") or {}).items():
                errors[k] = errors.get(k, 0) + v
        out["errors"] = errors
        out["server_cpu_window"] = good[0].get("server_cpu_window")
    out["rounds"] = summaries
    return out


# ------------------------------------------------------------------------------------------------ text

def fmt_rate(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}"


def fmt_num(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def progress_line(run):
    s = summarise(run)
    head = f"[{run['peer']}] {run['scenario']:<11}" + (f" r{run['round']}" if run.get("round", 1) > 1 else "")
    if run["scenario"] == "rss-10k" and "rss_mb" in s:
        split = ""
        if s.get("rss_anon_kb") is not None:
            split = (f", of which anonymous {s['rss_anon_kb'] * 1024 / 1e6:.1f} MB, "
                     f"file-backed {s.get('rss_file_kb', 0) * 1024 / 1e6:.1f} MB")
        return (f"{head} RSS {s['rss_mb']} MB with {s.get('connections')} idle connections{split} "
                f"(idle server {s['rss_idle_mb']} MB; peak {s.get('hwm_kb', 0) * 1024 / 1e6:.1f} MB)"
                f"{'' if s['status'] == 'ok' else '  ' + s['status']}")
    if s.get("msgs_per_s") is None:
        return f"{head} {s['status']}"
    errors = f"  errors {s['errors']}" if s.get("errors") else ""
    cpu = s.get("server_cpu_us_per_msg")
    load = ""
    if s.get("loadgen_cores") is not None:
        load = (f"  [cores: server {s['server_cores']:.2f} ({s.get('server_user_share') or 0:.0%} user), "
                f"load generator {s['loadgen_cores']:.2f}, "
                f"other {s['other_cores']:.2f}, steal {s['steal_cores']:.2f}]")
    return (f"{head} {fmt_rate(s['msgs_per_s']):>10} msgs/s  p99 {fmt_num(s['p99_us'])} us  "
            f"server {fmt_num(cpu, 2)} us CPU/msg{errors}{load}"
            f"{'' if s['status'] == 'ok' else '  (' + s['status'] + ')'}")


def ratio(a, b):
    return a / b if a is not None and b else None


SATURATED = 0.9   # load generator cores in the window at or above which it was the bottleneck
BUSY_OTHER = 0.3  # cores used by other processes (or stolen by the hypervisor: 0.1) that taint a result


def marks(r):
    m = ""
    if r.get("errors"):
        m += "!"
    if (r.get("loadgen_cores") or 0) >= SATURATED:
        m += "*"
    if (r.get("other_cores") or 0) >= BUSY_OTHER or (r.get("steal_cores") or 0) >= 0.1:
        m += "~"
    return m


def build_table(scenarios, peers, results):
    """Rows = scenarios; per peer msgs/s, p99 us, server CPU us/msg; then echoack's ratio to each peer."""
    others = [p for p in peers if p != MEASURED] if MEASURED in peers else []
    width = 28
    header1 = f"{'scenario':<11}"
    header2 = f"{'':<11}"
    for p in peers:
        header1 += f" | {p:<{width}}"
        header2 += f" | {'msgs/s':>9}   {'p99 us':>7} {'cpu us':>8}"
    if others:
        header1 += " | echoack / peer (msgs/s; RSS: MB ratio)"
        header2 += " |" + "".join(f" {p:>8}" for p in others)
    lines = [header1, header2, "-" * len(header2)]
    notes, saturated, busy = [], [], []
    for sid, desc in scenarios:
        row = f"{sid:<11}"
        for p in peers:
            r = results.get(sid, {}).get(p)
            if sid == "rss-10k":
                cell = f"{r['rss_mb']:.1f} MB" if r and r.get("rss_mb") else (short_status(r) if r else "-")
                row += f" | {cell:>{width}}"
                if r and r.get("status", "ok") != "ok":
                    notes.append(f"{p} {sid}: {r['status']}")
                continue
            if not r or r.get("msgs_per_s") is None:
                row += f" | {short_status(r) if r else '-':>{width}}"
                if r and r.get("status", "ok") != "ok":
                    notes.append(f"{p} {sid}: {r['status']}")
                continue
            m = marks(r)
            if "!" in m:
                notes.append(f"{p} {sid}: errors {r['errors']}")
            if "*" in m:
                saturated.append(f"{p} {sid} ({r['loadgen_cores']:.2f})")
            if "~" in m:
                busy.append(f"{p} {sid} (other {r.get('other_cores', 0):.2f}, steal {r.get('steal_cores', 0):.2f})")
            row += (f" | {fmt_rate(r['msgs_per_s']):>9}{m:<3}{fmt_num(r['p99_us']):>7} "
                    f"{fmt_num(r.get('server_cpu_us_per_msg'), 2):>8}")
            if r.get("status", "ok") != "ok":
                notes.append(f"{p} {sid}: {r['status']}")
        if others:
            row += " |"
            mine = results.get(sid, {}).get(MEASURED) or {}
            key = "rss_mb" if sid == "rss-10k" else "msgs_per_s"
            for p in others:
                theirs = results.get(sid, {}).get(p) or {}
                q = ratio(mine.get(key), theirs.get(key))
                row += f" {(f'{q:.2f}x' if q is not None else '-'):>8}"
        lines.append(row)
    legend = []
    notes = merge_skips(notes)
    if notes:
        legend.append("notes (! = the load generator counted errors):")
        legend.extend("  " + n for n in notes)
    if saturated:
        legend.append(f"* the load generator used >= {SATURATED:.0%} of its core (cores in parentheses): it, not the "
                      "server, may have set msgs/s there; compare cpu us:")
        legend.append("  " + ", ".join(saturated))
    measured = sum(1 for sid, _ in scenarios for p in peers
                   if sid != "rss-10k" and (results.get(sid, {}).get(p) or {}).get("msgs_per_s") is not None)
    if busy:
        legend.append(f"~ other processes used >= {BUSY_OTHER} CPU or the hypervisor stole >= 0.1 during the "
                      "measurement: less reliable, run again on a quiet machine:")
        legend.append("  " + ("all of them" if len(busy) == measured else ", ".join(busy)))
    return lines, legend


def merge_skips(notes):
    """One note per peer and reason for skipped cells ("c-fork tcp-1, tcp-64: skipped: ..."), in place of
    one per scenario; other notes as they are."""
    merged, skips = [], {}
    for n in notes:
        head, sep, status = n.partition(": ")
        peer, _, sid = head.partition(" ")
        if sep and status.startswith("skipped"):
            key = (peer, status)
            if key not in skips:
                skips[key] = len(merged)
                merged.append([peer, [sid], status])
            else:
                merged[skips[key]][1].append(sid)
        else:
            merged.append(n)
    return [m if isinstance(m, str) else f"{m[0]} {', '.join(m[1])}: {m[2]}" for m in merged]


def short_status(r):
    status = (r or {}).get("status", "-")
    if status.startswith("skipped"):
        return "skipped"
    if status.startswith("failed") or "died" in status:
        return "FAILED"
    return status[:27]


def evaluate_targets(results, idle_conns):
    out = []
    for sid, kind, bound, label in TARGETS:
        mine = results.get(sid, {}).get(MEASURED) or {}
        ref = results.get(sid, {}).get(REFERENCE) or {}
        value, verdict, detail = None, "n/a", ""
        if kind == "ratio":
            value = ratio(mine.get("msgs_per_s"), ref.get("msgs_per_s"))
            if value is not None:
                verdict = "PASS" if value >= bound else "MISS"
                eff = ratio(ref.get("server_cpu_us_per_msg"), mine.get("server_cpu_us_per_msg"))
                detail = (f"{value:.2f}x >= {bound:.2f}x  ({fmt_rate(mine['msgs_per_s'])} vs "
                          f"{fmt_rate(ref['msgs_per_s'])} msgs/s; server CPU {fmt_num(mine.get('server_cpu_us_per_msg'), 2)} vs "
                          f"{fmt_num(ref.get('server_cpu_us_per_msg'), 2)} us/msg"
                          f"{f' = {eff:.2f}x as efficient' if eff is not None else ''})")
        elif kind == "rss":
            value = mine.get("rss_mb")
            if value is not None:
                verdict = "PASS" if value < bound and mine.get("status") == "ok" else "MISS"
                anon = mine.get("rss_anon_kb")
                hwm = mine.get("hwm_kb")
                detail = (f"{value:.1f} MB < {bound:.0f} MB  (settled; idle server {mine.get('rss_idle_mb')} MB; "
                          f"{f'peak {hwm * 1024 / 1e6:.1f} MB; ' if hwm else ''}"
                          f"{f'anonymous {anon * 1024 / 1e6:.1f} MB; ' if anon else ''}"
                          f"{mine.get('connections')} connections; c-epoll {ref.get('rss_mb', '-')} MB)")
                label = f"RSS with {idle_conns:,} idle TCP conns"
        elif kind == "p99":
            value = ratio(mine.get("p99_us"), ref.get("p99_us"))
            if value is not None:
                verdict = "PASS" if value <= bound else "MISS"
                detail = (f"{value:.2f}x <= {bound:.0f}x  ({fmt_num(mine['p99_us'])} vs {fmt_num(ref['p99_us'])} us)")
        noisy = kind != "rss" and any("~" in marks(r) for r in (mine, ref) if r)
        if verdict == "n/a":
            detail = "not measured in this run (scenario or peer filtered, skipped or failed)"
        elif noisy:
            detail += "  [~ busy machine: unreliable]"
        elif mine.get("errors"):
            detail += f"  [echoack errors: {mine['errors']}]"
        entry = {"scenario": sid, "target": label, "kind": kind, "bound": bound,
                 "value": round(value, 4) if value is not None else None, "verdict": verdict, "detail": detail,
                 "measured_on_busy_machine": noisy}
        if kind == "ratio":
            entry["cpu_efficiency_ratio"] = ratio(ref.get("server_cpu_us_per_msg"), mine.get("server_cpu_us_per_msg"))
        out.append(entry)
    return out


# ------------------------------------------------------------------------------------------------ files

def command_output(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return None


def machine_info(pinning):
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    java = command_output(["java", "-version"])
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "os": platform.platform(),
        "java_version": java.splitlines()[0] if java else None,
        "java_version_full": java,
        "node_version": command_output(["node", "--version"]) if shutil.which("node") else None,
        "socat_version": (command_output(["socat", "-V"]) or "").splitlines()[1:2] if shutil.which("socat") else None,
        "gcc_version": (command_output(["gcc", "--version"]) or "").splitlines()[0:1] if shutil.which("gcc") else None,
        "date": datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "pinning": pinning,
    }


def plot(path_png, scenarios, peers, results, title):
    """Grouped bars per scenario and peer through gnuplot: msgs/s on top, server CPU us/msg below."""
    rows = [sid for sid, _ in scenarios if sid != "rss-10k"]
    if not rows or not shutil.which("gnuplot"):
        return False
    data_path = path_png + ".dat"
    with open(data_path, "w") as f:
        for key in ("msgs_per_s", "server_cpu_us_per_msg"):
            f.write(f"# {key}: scenario " + " ".join(peers) + "\n")
            for sid in rows:
                vals = []
                for p in peers:
                    v = (results.get(sid, {}).get(p) or {}).get(key)
                    vals.append(f"{v:.3f}" if v else "NaN")
                f.write(sid + " " + " ".join(vals) + "\n")
            f.write("\n\n")

    def bars(index):
        return f"'{data_path}' index {index} using 2:xtic(1) title '{peers[0]}'" + "".join(
            f", '' index {index} using {i + 2} title '{p}'" for i, p in enumerate(peers) if i > 0)

    script = f"""
set terminal pngcairo size 1400,1000 font ',11'
set output '{path_png}'
set multiplot layout 2,1 title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y
set format y '%.0s%c'
set grid ytics
set key top right
set datafile missing 'NaN'
set xrange [-0.6:{len(rows) - 0.4}]
set ylabel 'messages per second (log scale, higher is better)'
plot {bars(0)}
set format y '%g'
set ylabel 'server CPU us per message (log scale, lower is better)'
plot {bars(1)}
unset multiplot
"""
    p = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True)
    os.remove(data_path)
    if p.returncode != 0:
        sys.stderr.write(f"report.py: gnuplot failed: {p.stderr.strip()}\n")
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--line", help="print a progress line for the last record of this runs file")
    ap.add_argument("--runs")
    ap.add_argument("--out")
    ap.add_argument("--scenarios", default="", help="the scenario table rows, ';'-separated")
    ap.add_argument("--peers", default="")
    ap.add_argument("--pinning", default="")
    ap.add_argument("--warmup", type=float, default=0)
    ap.add_argument("--duration", type=float, default=0)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--server-warmup", type=float, default=0)
    ap.add_argument("--idle-conns", type=int, default=10000)
    ap.add_argument("--plot", type=int, default=1)
    ap.add_argument("--wall", type=float, default=0)
    for opt in ("--server-java-opts", "--client-java-opts", "--server-args", "--client-args"):
        ap.add_argument(opt, default="")
    args = ap.parse_args()

    if args.line:
        runs = read_runs(args.line)
        if runs:
            print(progress_line(runs[-1]))
        return 0

    global RUNS_DIR
    RUNS_DIR = os.path.dirname(os.path.abspath(args.runs))
    runs = read_runs(args.runs)
    peers = [p for p in args.peers.split(",") if p]
    scenarios = []
    for row in args.scenarios.split(";"):
        if row:
            parts = row.split("|")
            desc = parts[-1]
            if parts[0] == "rss-10k":
                desc = f"server RSS with {args.idle_conns:,} idle TCP connections"
            scenarios.append((parts[0], desc))
    per_pair = {}
    for run in runs:
        per_pair.setdefault(run["scenario"], {}).setdefault(run["peer"], []).append(summarise(run))
    results = {sid: {p: combine(rs) for p, rs in by_peer.items()} for sid, by_peer in per_pair.items()}

    machine = machine_info(args.pinning)
    lines, notes = build_table(scenarios, peers, results)
    targets = evaluate_targets(results, args.idle_conns)
    text = []
    text.append(f"echoack bench suite, {machine['date']}: {machine['nproc']} CPUs ({machine['cpu_model']}), "
                f"Linux {machine['kernel']}, {machine['java_version']}")
    text.append(f"pinning: {args.pinning}; each server warmed up with {args.server_warmup:.0f}s of TCP, UDP, Unix and connect-per-message "
                f"load; {args.warmup:.0f}s warm-up + {args.duration:.0f}s per scenario"
                f"{f', median of {args.rounds} rounds' if args.rounds > 1 else ''}; msgs/s and p99 from the load "
                f"generator, cpu us = server CPU time per message")
    others = median(r.get("other_cores") for by_peer in results.values() for r in by_peer.values())
    if others is not None and others >= BUSY_OTHER:
        text.append(f"WARNING: other processes kept a median {others:.2f} of the {machine['nproc']} CPUs busy during "
                    f"the measurements: absolute numbers are low and noisy; ratios are less reliable "
                    f"(each scenario ran against all peers back to back to share the noise)")
    text.append("")
    text.extend(lines)
    if notes:
        text.append("")
        text.extend(notes)
    text.append("")
    text.append(f"targets (echoack vs {REFERENCE}, measured in this run):")
    for t in targets:
        text.append(f"  {t['verdict']:<4}  {t['target']:<30} {t['detail']}")
    text.append("")
    text.append(f"scenarios: " + "; ".join(f"{sid} = {desc}" for sid, desc in scenarios))
    text.append(f"wall time: {args.wall:.0f} s")
    table = "\n".join(text)
    print(table)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.txt"), "w") as f:
        f.write(table + "\n")
    doc = {
        "machine": machine,
        "config": {
            "warmup_s": args.warmup, "duration_s": args.duration, "rounds": args.rounds,
            "server_warmup_s_per_transport": args.server_warmup,
            "idle_connections": args.idle_conns,
            "peers": peers, "server_java_opts": args.server_java_opts, "client_java_opts": args.client_java_opts,
            "server_args": args.server_args, "client_args": args.client_args, "wall_time_s": args.wall,
        },
        "scenarios": [
            {
                "id": sid,
                "description": desc,
                "results": results.get(sid, {}),
                "echoack_ratio": {
                    p: ratio((results.get(sid, {}).get(MEASURED) or {}).get("rss_mb" if sid == "rss-10k" else "msgs_per_s"),
                             (results.get(sid, {}).get(p) or {}).get("rss_mb" if sid == "rss-10k" else "msgs_per_s"))
                    for p in peers if p != MEASURED
                },
            }
            for sid, desc in scenarios
        ],
        "targets": targets,
        "table": lines,
    }
    with open(os.path.join(args.out, "latest.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    if args.plot:
        title = (f"echoack vs reference echo servers, msgs/s ({machine['date'][:10]}, {machine['nproc']} CPUs "
                 f"{machine['cpu_model'] or ''}, {args.pinning})")
        plot(os.path.join(args.out, "latest.png"), scenarios, peers, results, title.replace('"', "'"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
