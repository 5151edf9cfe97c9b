"""The loadgen kind: what the load generator itself costs. `echoack bench --threads 1` and the C reference load
generator (bench/loadgen.c), each pinned to the load generator's core, drive the same load against the C epoll
server one after the other; the cell is the ratio of their rates (echoack bench msgs/s / C loadgen msgs/s), with
the CPU each spent per message. Where the load generator saturates first, every server's msgs/s is that
ratio times what C would drive: it says how much of a traffic row is echoack bench's own limit."""
import os
import shlex
import time

from . import cpu, fmt, runs, traffic

ISOLATED = False   # against the running c-epoll server, every round
NEEDS = ("gcc", "gcc not installed (the reference load generator is C)")
RATIO_KEY = "loadgen_ratio"
CHARTED = False
REFERENCE_PEER = "c-epoll"   # the only server it runs against: the one that never sets the pace
GENERATORS = ("echoack", "c")
TIMEOUT_MS = 2000            # as `--timeout 2s` of every echoack bench run
# The JVM's compilers take the first seconds of an echoack bench run (about 2 s of CPU on the load generator's
# core, pinned with it): a shorter warm-up would measure them, not the cost per message. Both generators get it.
MIN_WARMUP_S = 5


def skip_reason(peer):
    """Why a peer does not run this kind (None: it does)."""
    return None if peer.name == REFERENCE_PEER else f"the load generators are compared against {REFERENCE_PEER} only"


def c_command(ctx, server, scenario, warmup, duration):
    where = ["-u", server.sock] if scenario.transport == "unix" else ["-p", str(server.port)]
    if scenario.transport == "udp":
        where.append("-U")
    return ctx.client_pin + [ctx.binary("loadgen"), *where, "-c", str(scenario.connections), "-s", str(scenario.size),
                             "-q", str(scenario.pipeline), "-w", str(warmup), "-d", str(duration),
                             "-t", str(TIMEOUT_MS)]


def echoack_command(ctx, server, scenario, warmup, duration, json_path):
    return traffic.bench_command(ctx, server.endpoint(scenario.transport), "--threads", "1",
                                 "--connections", str(scenario.connections), "--size", str(scenario.size),
                                 "--pipeline", str(scenario.pipeline), "--warmup", f"{warmup}s",
                                 "--duration", f"{duration}s") + ["--json", json_path] + ctx.options.client_args.split()


def run(ctx, server, scenario, round_no):
    """Both load generators against the server, one after the other (which first alternates per round), each
    with the server's and its own CPU sampled: one record holding both."""
    warmup, duration = max(ctx.options.warmup, MIN_WARMUP_S), ctx.options.duration
    order = GENERATORS if round_no % 2 else GENERATORS[::-1]
    fields = {}
    status = "ok"
    for gen in order:
        name = f"{server.peer.name}-{scenario.id}-{gen}-r{round_no}"
        json_path, samples = os.path.join(ctx.json_dir, f"{name}.json"), os.path.join(ctx.json_dir, f"{name}.cpu")
        err = os.path.join(ctx.logs, f"{name}.err")
        if gen == "c":
            cmd, stdout = c_command(ctx, server, scenario, warmup, duration), json_path
        else:
            cmd, stdout = echoack_command(ctx, server, scenario, warmup, duration, json_path), os.devnull
        with open(os.path.join(ctx.logs, f"{name}.cmd"), "w") as f:
            f.write(shlex.join(cmd) + " ")
        open(samples, "w").close()
        started = time.time()
        client = ctx.processes.start(cmd, err, stdout_path=stdout)
        with cpu.Sampler(samples, server.pids, False, client.pid):
            rc = ctx.processes.wait(client, warmup + duration + 60)  # bounds a hung load generator
        if not os.path.exists(json_path) or os.path.getsize(json_path) == 0:
            status = f"{gen} loadgen failed (exit {rc}): {traffic.last_line(err)[:140]}"
        fields[gen] = {"exit_code": rc, "json": json_path, "cpu_samples": samples, "started": round(started, 6),
                       "ended": round(time.time(), 6)}
    if not server.alive():
        status = f"server died during the run; {status}"
    return runs.record(server.peer.name, scenario.id, status, round=round_no, generators=fields,
                       clk_tck=cpu.CLK_TCK, warmup_s=warmup, duration_s=duration)


# ------------------------------------------------------------------------------------------ report

def generator_numbers(run, gen):
    """(msgs/s, its CPU us per message, cores it used, other cores, steal cores, errors) of one load generator."""
    sub = (run.get("generators") or {}).get(gen) or {}
    bench = traffic.load_bench(sub)
    if bench is None or not bench.get("msgs_per_s"):
        return None
    used = cpu.cpu_use({"clk_tck": run["clk_tck"], "warmup_s": run.get("warmup_s", 0),
                        "duration_s": run.get("duration_s", 0)}, bench, sub.get("cpu_samples", ""))
    cores = used.get("loadgen_cores")
    rate = bench["msgs_per_s"]
    errors = {k: v for k, v in (bench.get("errors") or {}).items() if v and k != "total"}
    return rate, (cores * 1e6 / rate if cores else None), cores, used.get("other_cores"), used.get("steal_cores"), errors


def summarise(run):
    out = {"status": run.get("status", "?")}
    mine, ref = generator_numbers(run, "echoack"), generator_numbers(run, "c")
    if mine is None or ref is None:
        return out
    out.update({
        "msgs_per_s": mine[0], "c_msgs_per_s": ref[0], "loadgen_ratio": round(mine[0] / ref[0], 4),
        "loadgen_cpu_us_per_msg": round(mine[1], 3) if mine[1] else None,
        "c_loadgen_cpu_us_per_msg": round(ref[1], 3) if ref[1] else None,
        "loadgen_cores": mine[2], "c_loadgen_cores": ref[2],
        "other_cores": max(x or 0 for x in (mine[3], ref[3])), "steal_cores": max(x or 0 for x in (mine[4], ref[4])),
        "errors": {**{f"echoack {k}": v for k, v in mine[5].items()}, **{f"c {k}": v for k, v in ref[5].items()}},
    })
    return out


def progress(head, s):
    if s.get("loadgen_ratio") is None:
        return f"{head} {s['status']}"
    errors = f"  errors {s['errors']}" if s.get("errors") else ""
    return (f"{head} echoack bench {fmt.rate(s['msgs_per_s'])} msgs/s ({fmt.num(s['loadgen_cpu_us_per_msg'], 2)} us "
            f"CPU/msg), C loadgen {fmt.rate(s['c_msgs_per_s'])} ({fmt.num(s['c_loadgen_cpu_us_per_msg'], 2)} us): "
            f"{s['loadgen_ratio']:.2f}x  [other {s['other_cores']:.2f} cores, steal {s['steal_cores']:.2f}]{errors}")


def cell(peer, sid, r, legend):
    """The table cell: the ratio, then echoack bench's and the C load generator's msgs/s."""
    if not r or r.get("loadgen_ratio") is None:
        if r and r.get("status", "ok") != "ok":
            legend.note(f"{peer} {sid}: {r['status']}")
        return fmt.short_status(r) if r else "-"
    m = "!" if r.get("errors") else ""
    if m:
        legend.note(f"{peer} {sid}: errors {r['errors']}")
    if (r.get("other_cores") or 0) >= traffic.BUSY_OTHER or (r.get("steal_cores") or 0) >= 0.1:
        m += "~"
        legend.busy.append(f"{peer} {sid} (other {r.get('other_cores', 0):.2f}, steal {r.get('steal_cores', 0):.2f})")
    return f"{r['loadgen_ratio']:.2f}x{m:<2} {fmt.rate(r['msgs_per_s'])} / {fmt.rate(r['c_msgs_per_s'])}"

