"""CPU time: of a server's process tree, of the load generator and of the machine, sampled from /proc during
a run, and what the report derives from the samples (server CPU per message over the measurement window)."""
import datetime
import os
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (index 1 = ppid, 11..14 = utime, stime, cutime,
    cstime), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            line = f.read()
    except OSError:
        return None
    return line[line.rfind(") ") + 2:].split()


def tree_ticks(pids, scan_children=False):
    """(total, user): utime+stime+cutime+cstime clock ticks of pids and the user part of them, plus those of
    their live children when scan_children (socat and c-fork fork a process per connection): reaped children
    are in cutime/cstime, live ones in their own utime/stime, so nothing is counted twice."""
    total = user = 0

    def add(fields):
        nonlocal total, user
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        user += int(fields[11]) + int(fields[13])

    for pid in pids:
        fields = stat_fields(pid)
        if fields:
            add(fields)
    if scan_children:
        roots = {str(p) for p in pids}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                fields = stat_fields(entry)
                if fields and fields[1] in roots:
                    add(fields)
    return total, user


def machine_ticks():
    """(busy, steal) ticks of all CPUs from /proc/stat (busy: user nice system irq softirq steal)."""
    with open("/proc/stat") as f:
        cpu = f.readline().split()  # cpu user nice system idle iowait irq softirq steal ...
    n = [int(x) for x in cpu[1:9]]
    return n[0] + n[1] + n[2] + n[5] + n[6] + n[7], n[7]


class Sampler:
    """Every 100 ms until stopped, appends to a file "epoch-seconds server-ticks client-ticks machine-busy-ticks
    machine-steal-ticks server-user-ticks": the server's tree_ticks, the load generator's utime+stime, the busy
    and steal time of all CPUs, and the user part of the server's ticks. The machine's numbers show whether
    anything else ran during a scenario."""

    def __init__(self, path, server_pids, scan_children, client_pid):
        self.path, self.server_pids, self.scan_children, self.client_pid = path, server_pids, scan_children, client_pid
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="cpu-sampler", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()

    def loop(self):
        client_ticks = 0
        with open(self.path, "a") as out:
            while not self.stopped.is_set():
                fields = stat_fields(self.client_pid)
                if fields and int(fields[11]) + int(fields[12]) > 0:  # 0 once it is a zombie
                    client_ticks = int(fields[11]) + int(fields[12])
                busy, steal = machine_ticks()
                server, server_user = tree_ticks(self.server_pids, self.scan_children)
                out.write(f"{time.time():.6f} {server} {client_ticks} {busy} {steal} {server_user}\n")
                out.flush()
                self.stopped.wait(0.1)


# ------------------------------------------------------------------------------------------ analysis

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


def cpu_use(run, bench, samples_path):
    """Server CPU us per message over the measurement window, and the CPU use (in cores) in that window of
    the server, the load generator and everything else on the machine."""
    rate = bench.get("msgs_per_s") or 0
    samples = read_samples(samples_path)
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
