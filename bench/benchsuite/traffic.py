"""The traffic and connect-per-message kinds: msgs/s, latency and server CPU per message, measured by one
`echoack bench` run against a running server; how a run goes, what it records, and how it is shown."""
import json
import os
import shlex
import time

from . import cpu, fmt, runs, scenarios

ISOLATED = False   # runs against the servers all up at once, every round
NEEDS = None       # no tool beyond the load generator
RATIO_KEY = "msgs_per_s"
CHARTED = True
SOCAT_UDP_MAX_S = 2  # socat forks a process per UDP datagram: a few hundred to a few thousand a second


def bench_command(ctx, endpoint, *flags):
    return ctx.client_pin + ctx.loadgen + ["bench", endpoint, *flags, "--mode", "echo", "--framing", "raw",
                                           "--expect", "echo", "--timeout", "2s"]


def run(ctx, server, scenario, round_no):
    """One `echoack bench` run against the server, its CPU sampled meanwhile: the run's record."""
    warmup, duration = ctx.options.warmup, ctx.options.duration
    if scenario.transport == "udp" and server.peer.forks_per_datagram:
        duration = min(duration, SOCAT_UDP_MAX_S)
    name = f"{server.peer.name}-{scenario.id}-r{round_no}"
    json_path, samples = os.path.join(ctx.json_dir, f"{name}.json"), os.path.join(ctx.json_dir, f"{name}.cpu")
    err = os.path.join(ctx.logs, f"{name}.err")
    cmd = bench_command(ctx, server.endpoint(scenario.transport), "--connections", str(scenario.connections),
                        "--size", str(scenario.size), "--pipeline", str(scenario.pipeline),
                        "--warmup", f"{warmup}s", "--duration", f"{duration}s") + ["--json", json_path]
    if scenario.kind == scenarios.CONNECT_PER_MESSAGE:
        cmd.append("--connect-per-message")
    cmd += ctx.options.client_args.split()
    with open(os.path.join(ctx.logs, f"{name}.cmd"), "w") as f:
        f.write(shlex.join(cmd) + " ")
    open(samples, "w").close()
    scan = server.peer.forks_per_connection
    ticks0, _ = cpu.tree_ticks(server.pids, scan)
    started = time.time()
    client = ctx.processes.start(cmd, err, stdout_path=os.devnull)
    with cpu.Sampler(samples, server.pids, scan, client.pid):
        rc = ctx.processes.wait(client, warmup + duration + 60)  # bounds a hung client
        ended = time.time()
        ticks1, _ = cpu.tree_ticks(server.pids, scan)
    status = "ok"
    if not os.path.exists(json_path) or os.path.getsize(json_path) == 0:
        status = f"failed (exit {rc}): {last_line(err)[:160]}"
    if not server.alive():
        status = f"server died during the run; {status}"
    return runs.record(server.peer.name, scenario.id, status, round=round_no, exit_code=rc, json=json_path,
                       cpu_samples=samples, started=round(started, 6), ended=round(ended, 6),
                       server_ticks=ticks1 - ticks0, clk_tck=cpu.CLK_TCK, warmup_s=warmup, duration_s=duration)


def warm_up(ctx, server):
    """The same short unrecorded load on each transport, then connections opened and closed (whose accept
    and close paths the rest never takes), so that no scenario pays for another's JIT compilation."""
    seconds = ctx.options.server_warmup
    log = os.path.join(ctx.logs, f"{server.peer.name}-server-warmup.err")
    loads = []
    if not server.peer.one_message_per_connection:
        for transport in ("tcp", "udp", "unix"):
            if not (transport == "udp" and server.peer.forks_per_datagram):  # nothing to warm: a process per datagram
                loads.append((transport, ["--connections", "16", "--pipeline", "4"]))
    loads.append(("tcp", ["--connections", "4", "--connect-per-message"]))
    for transport, flags in loads:
        cmd = bench_command(ctx, server.endpoint(transport), *flags, "--size", "64", "--warmup", "0s",
                            "--duration", f"{seconds}s") + ["--quiet"]
        ctx.processes.run(cmd, seconds + 30, log)


def last_line(path):
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""


# ------------------------------------------------------------------------------------------ report

def summarise(run):
    """The numbers of one run record, flat: what the table, the chart and the JSON need."""
    out = {"status": run.get("status", "?")}
    bench = load_bench(run)
    if bench is None:
        return out
    latency = bench.get("latency_us") or {}
    used = cpu.cpu_use(run, bench, run.get("cpu_samples", ""))
    out.update({
        "msgs_per_s": bench.get("msgs_per_s"),
        "mb_per_s": bench.get("mb_per_s"),
        "messages": bench.get("messages"),
        "p50_us": latency.get("p50"),
        "p99_us": latency.get("p99"),
        "p999_us": latency.get("p999"),
        "max_us": latency.get("max"),
        "errors": {k: v for k, v in (bench.get("errors") or {}).items() if v and k != "total"},
        **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in used.items()},
        "server_cpu_s_whole_run": round(run.get("server_ticks", 0) / run["clk_tck"], 2),
        "bench": bench,
    })
    return out


def load_bench(run):
    path = run.get("json")
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def progress(head, s):
    if s.get("msgs_per_s") is None:
        return f"{head} {s['status']}"
    errors = f"  errors {s['errors']}" if s.get("errors") else ""
    load = ""
    if s.get("loadgen_cores") is not None:
        load = (f"  [cores: server {s['server_cores']:.2f} ({s.get('server_user_share') or 0:.0%} user), "
                f"load generator {s['loadgen_cores']:.2f}, "
                f"other {s['other_cores']:.2f}, steal {s['steal_cores']:.2f}]")
    return (f"{head} {fmt.rate(s['msgs_per_s']):>10} msgs/s  p99 {fmt.num(s['p99_us'])} us  "
            f"server {fmt.num(s.get('server_cpu_us_per_msg'), 2)} us CPU/msg{errors}{load}"
            f"{'' if s['status'] == 'ok' else '  (' + s['status'] + ')'}")


SATURATED = 0.9   # load generator cores in the window at or above which it was the bottleneck
BUSY_OTHER = 0.3  # cores used by other processes (or stolen by the hypervisor: 0.1) that taint a result


def marks(r):
    """! = the load generator counted errors, * = it was saturated, ~ = the machine was not quiet."""
    m = ""
    if r.get("errors"):
        m += "!"
    if (r.get("loadgen_cores") or 0) >= SATURATED:
        m += "*"
    if (r.get("other_cores") or 0) >= BUSY_OTHER or (r.get("steal_cores") or 0) >= 0.1:
        m += "~"
    return m


def cell(peer, sid, r, legend):
    """The table cell (msgs/s with its marks, p99 us, cpu us); what it needs explained goes to the legend."""
    if not r or r.get("msgs_per_s") is None:
        if r and r.get("status", "ok") != "ok":
            legend.note(f"{peer} {sid}: {r['status']}")
        return fmt.short_status(r) if r else "-"
    m = marks(r)
    if "!" in m:
        legend.note(f"{peer} {sid}: errors {r['errors']}")
    if "*" in m:
        legend.saturated.append(f"{peer} {sid} ({r['loadgen_cores']:.2f})")
    if "~" in m:
        legend.busy.append(f"{peer} {sid} (other {r.get('other_cores', 0):.2f}, steal {r.get('steal_cores', 0):.2f})")
    if r.get("status", "ok") != "ok":
        legend.note(f"{peer} {sid}: {r['status']}")
    return f"{fmt.rate(r['msgs_per_s']):>9}{m:<3}{fmt.num(r['p99_us']):>7} {fmt.num(r.get('server_cpu_us_per_msg'), 2):>8}"
