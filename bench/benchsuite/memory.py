"""The memory kind: the server's RSS with N idle TCP connections held open, on a fresh server of its own;
how a run goes, what it records, and how it is shown."""
import os
import time

from . import fmt, peers, runs

ISOLATED = True    # each on a fresh server, one peer at a time, before any traffic; once per invocation
RATIO_KEY = "rss_mb"
CHARTED = False
NEEDS = ("gcc", "gcc not installed (idle_conns is C)")  # (tool, why it is skipped without it)
CONNECT_TIMEOUT_S = 60   # idle_conns gives up connecting after this
SETTLE_MAX_S = 30        # RSS sampled every second until it moved < 1% over 5 s, for at most this long


def run(ctx, peer, scenario, port):
    """A fresh server of the peer, its RSS idle, then with scenario.connections idle connections: the record."""
    sock = os.path.join(ctx.work, f"{peer.name}-rss.sock")
    server = peers.start(peer, port, sock, f"{peer.name}-rss-server", ctx)
    if server is None:
        return runs.record(peer.name, scenario.id, "failed: server did not start")
    try:
        return measure(ctx, server, scenario)
    finally:
        peers.stop(server, ctx)


def measure(ctx, server, scenario):
    pid, wanted = server.pids[0], scenario.connections
    time.sleep(1)
    rss_idle = status_kb(pid)["VmRSS"]
    fds0 = fd_count(pid)
    out = os.path.join(ctx.json_dir, f"{server.peer.name}-idle.out")
    holder = ctx.processes.start(ctx.client_pin + [ctx.binary("idle_conns"), "-p", str(server.port), "-n", str(wanted),
                                                   "-t", str(CONNECT_TIMEOUT_S)],
                                 os.path.join(ctx.logs, f"{server.peer.name}-idle.err"), stdout_path=out)
    try:
        deadline = time.monotonic() + 90
        while not (os.path.getsize(out) or time.monotonic() > deadline or holder.poll() is not None):
            time.sleep(0.2)
        connected = connected_count(out)
        # The server has them all once its fd count has grown by that many (bounded wait).
        while fd_count(pid) < fds0 + connected and time.monotonic() < deadline:
            time.sleep(0.2)
        fds = fd_count(pid) - fds0
        settle(pid)
        kb = status_kb(pid)
    finally:
        ctx.processes.stop([holder], grace=5)
    status = "ok" if connected >= wanted else f"incomplete: {read(out)}"
    return runs.record(server.peer.name, scenario.id, status, rss_kb=kb["VmRSS"], hwm_kb=kb["VmHWM"],
                       rss_anon_kb=kb["RssAnon"], rss_file_kb=kb["RssFile"], rss_idle_kb=rss_idle,
                       connections=connected, requested=wanted, server_fds_added=fds)


def settle(pid):
    """Idle means settled: samples RSS every second until it moved less than 1% over the last 5 s (at most
    SETTLE_MAX_S), so that the number is what the server holds while the connections sit idle, not the
    transient of accepting them (that peak is kept too, as VmHWM)."""
    samples, deadline = [], time.monotonic() + SETTLE_MAX_S
    while time.monotonic() < deadline:
        time.sleep(1)
        samples.append(status_kb(pid)["VmRSS"])
        if len(samples) >= 6 and abs(samples[-6] - samples[-1]) * 100 <= samples[-1]:
            return


def status_kb(pid):
    """VmRSS, VmHWM, RssAnon and RssFile of /proc/PID/status in kB (0 where missing)."""
    kb = {"VmRSS": 0, "VmHWM": 0, "RssAnon": 0, "RssFile": 0}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in kb:
                    kb[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return kb


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def connected_count(path):
    """idle_conns prints "connected N ..." once it holds its connections."""
    parts = read(path).split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


# ------------------------------------------------------------------------------------------ report

FIELDS = ("rss_kb", "hwm_kb", "rss_anon_kb", "rss_file_kb", "rss_idle_kb", "connections", "requested",
          "server_fds_added")


def summarise(run):
    out = {"status": run.get("status", "?")}
    out.update({key: run[key] for key in FIELDS if key in run})
    if run.get("rss_kb"):
        out["rss_mb"] = round(fmt.mb(run["rss_kb"]), 1)
        out["rss_idle_mb"] = round(fmt.mb(run.get("rss_idle_kb", 0)), 1)
        n = run.get("connections") or 0
        if n:
            out["bytes_per_connection"] = round((run["rss_kb"] - run.get("rss_idle_kb", 0)) * 1024 / n)
    return out


def progress(head, s):
    if "rss_mb" not in s:
        return f"{head} {s['status']}"
    split = ""
    if s.get("rss_anon_kb") is not None:
        split = (f", of which anonymous {fmt.mb(s['rss_anon_kb']):.1f} MB, "
                 f"file-backed {fmt.mb(s.get('rss_file_kb', 0)):.1f} MB")
    return (f"{head} RSS {s['rss_mb']} MB with {s.get('connections')} idle connections{split} "
            f"(idle server {s['rss_idle_mb']} MB; peak {fmt.mb(s.get('hwm_kb', 0)):.1f} MB)"
            f"{'' if s['status'] == 'ok' else '  ' + s['status']}")


def cell(peer, sid, r, legend):
    """The table cell: the settled RSS in MB."""
    if r and r.get("status", "ok") != "ok":
        legend.note(f"{peer} {sid}: {r['status']}")
    return f"{r['rss_mb']:.1f} MB" if r and r.get("rss_mb") else (fmt.short_status(r) if r else "-")
