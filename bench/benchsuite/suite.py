"""bench/run: the whole invocation, phase by phase: check, build, isolated (memory) scenarios, all servers
up, warm-up, rounds of the other scenarios, report."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import kinds, machine, options, peers, processes, report, runs, scenarios, startup, targets, traffic

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
SERVER_JAR = os.path.join(ROOT, "server", "target", "echoack-server.jar")
CLIENT_JAR = os.path.join(ROOT, "client", "target", "echoack.jar")
C_PROGRAMS = (("epoll_echo", "peers/epoll_echo.c"), ("fork_echo", "peers/fork_echo.c"), ("idle_conns", "idle_conns.c"),
              ("loadgen", "loadgen.c"))


class Failed(Exception):
    """The run cannot go on; the message says why (exit code 1, or 2 for what the user must fix)."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


class Interrupted(Exception):
    pass


class Context:
    """What every step of one invocation needs: the options, the machine's pinning, the directories, the
    processes started, the runs file."""

    def __init__(self, opts, all_scenarios, work):
        self.options, self.all_scenarios, self.work = opts, all_scenarios, work
        self.root, self.bench = ROOT, BENCH
        self.logs, self.json_dir = os.path.join(work, "logs"), os.path.join(work, "json")
        for d in (self.logs, self.json_dir, os.path.join(work, "bin")):
            os.makedirs(d)
        self.server_pin, self.client_pin, self.pinning = machine.pinning(opts.server_cpu, opts.client_cpu)
        self.loadgen = opts.loadgen or ["java", *opts.client_java_opts.split(), "-jar", CLIENT_JAR]
        self.processes = processes.Processes()
        self.runs = runs.RunsFile(os.path.join(work, "runs.jsonl"))
        self.t0 = time.monotonic()
        # echoack's launchers map class data sharing archives from here, made up front (startup.prepare_archives)
        self.cds_dir = os.path.join(work, "cds")
        self.max_idle_connections = 0  # the largest memory scenario's connections: echoack's limits sit above it
        self.kind = {}                 # scenario id -> kind

    def binary(self, name):
        return os.path.join(self.work, "bin", name)

    def elapsed(self):
        return f"{time.monotonic() - self.t0:.0f}"

    @staticmethod
    def say(text):
        print(text, file=sys.stderr, flush=True)

    def record(self, run, show=False):
        """Appends the run's record to the runs file; show: and prints its progress line."""
        self.runs.append(run)
        if show:
            self.say(report.progress_line(run, self.kind[run["scenario"]]))


def main(argv):
    try:
        all_scenarios = scenarios.load()
        opts = options.parse(argv, os.environ, all_scenarios, os.path.join(BENCH, "results"))
    except options.HelpRequested:
        print(options.USAGE, end="")
        return 0
    except (options.UsageError, scenarios.ScenarioFileError) as e:
        Context.say(f"bench/run: {e}")
        if getattr(e, "show_usage", False):
            Context.say(options.USAGE.rstrip("\n"))
        return 2
    missing = machine.missing_required()
    if missing:
        Context.say(f"bench/run: required tools missing: {' '.join(missing)} (java and mvn build and run echoack "
                    "and its load generator; python3 writes the report)")
        return 2
    work = tempfile.mkdtemp(prefix="echoack-bench.", dir="/tmp")
    ctx = Context(opts, all_scenarios, work)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, interrupted)
    try:
        run_suite(ctx)
        return 0
    except Interrupted:
        ctx.say("bench/run: interrupted")
        return 130
    except Failed as e:
        ctx.say(f"bench/run: {e}")
        return e.code
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        ctx.processes.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def interrupted(signum, frame):
    raise Interrupted()


def run_suite(ctx):
    opts = ctx.options
    skips = skip_reasons(ctx)
    plot = machine.have("gnuplot")
    if not plot:
        ctx.say("bench/run: gnuplot not installed (apt-get install gnuplot-nox): no PNG chart")
    for name, why in skips.items():
        ctx.say(f"bench/run: skipping {name}: {why}")
    lo, hi = machine.ephemeral_range()
    if opts.base_port + 40 >= lo and opts.base_port <= hi:
        ctx.say(f"bench/run: warning: ports {opts.base_port}.. lie in the ephemeral range {lo}-{hi}; "
                "set BENCH_BASE_PORT outside it")
    if not opts.peers or not opts.scenarios:
        raise Failed("nothing to run", code=2)
    build(ctx)
    selected = fit_memory_scenarios(ctx)
    ctx.kind = {s.id: s.kind for s in selected}
    ctx.say(f"bench/run: {len(opts.peers)} peers x {len(selected)} scenarios x {opts.rounds} round(s), "
            f"{opts.warmup}s warm-up + {opts.duration}s each; pinning: {ctx.pinning}")
    isolated = [s for s in selected if kinds.of(s.kind).ISOLATED]
    shared = [s for s in selected if not kinds.of(s.kind).ISOLATED]
    live = []
    for index, name in enumerate(opts.peers):
        peer, port = peers.peer(name, SERVER_JAR, opts.ref_jars), opts.base_port + index * 4
        if name in skips:
            for s in selected:
                ctx.record(runs.record(name, s.id, f"skipped: {skips[name]}"))
            continue
        if peer.is_echoack:
            startup.prepare_archives(ctx, peer)
        # Isolated scenarios first, each on a fresh server of its own, with nothing else running.
        for s in isolated:
            why = skips.get(s.id) or peer.skip_reason(s)
            if why:
                ctx.record(runs.record(name, s.id, f"skipped: {why}"))
            else:
                ctx.record(kinds.of(s.kind).run(ctx, peer, s, port + 2), show=True)
        live.append((peer, port))
    servers = start_servers(ctx, live, shared) if shared else []
    if opts.server_warmup > 0:
        for server in servers:
            ctx.say(f"[{server.peer.name}] warming up the server: {opts.server_warmup}s each of TCP, UDP, Unix and "
                    f"connect-per-message load ({ctx.elapsed()} s)")
            traffic.warm_up(ctx, server)
    run_rounds(ctx, servers, shared)
    for server in servers:
        peers.stop(server, ctx)
    write_report(ctx, selected, plot)


def skip_reasons(ctx):
    """{peer or scenario id: why it is skipped} for what this machine lacks, of what was selected."""
    out = {}
    for name in ctx.options.peers:
        p = peers.peer(name, SERVER_JAR, ctx.options.ref_jars)
        if p.tool and not machine.have(p.tool):
            out[name] = f"{p.tool} not installed" + (f" ({p.install})" if p.install else "")
    for s in ctx.options.scenarios:
        needs = kinds.of(s.kind).NEEDS
        if needs and not machine.have(needs[0]):
            out[s.id] = needs[1]
    return out


def build(ctx):
    """echoack's jars (mvn package, unless --no-build), a working load generator, the C programs."""
    logs = ctx.logs
    if ctx.options.build:
        ctx.say("bench/run: building echoack (mvn -q package -DskipTests)")
        with open(os.path.join(logs, "build.log"), "w") as log:
            rc = subprocess.call(["mvn", "-q", "package", "-DskipTests"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        if rc != 0:
            ctx.say(peers.tail(os.path.join(logs, "build.log"), 30))
            raise Failed("build failed")
    if not (os.path.isfile(SERVER_JAR) and os.path.isfile(CLIENT_JAR)):
        raise Failed(f"{SERVER_JAR} or {CLIENT_JAR} missing: run without --no-build")
    help_log = os.path.join(logs, "bench-help.txt")
    with open(help_log, "w") as log:
        rc = subprocess.call(ctx.loadgen + ["bench", "--help"], stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT)
    if rc != 0:
        first = (peers.read_text(help_log).splitlines() or [""])[0]
        raise Failed(f"the load generator '{' '.join(ctx.loadgen)} bench' does not work (it says: {first})")
    if machine.have("gcc"):
        with open(os.path.join(logs, "gcc.log"), "w") as log:
            for binary, source in C_PROGRAMS:
                if subprocess.call(["gcc", "-O2", "-Wall", "-o", ctx.binary(binary), os.path.join(BENCH, source)],
                                   stderr=log) != 0:
                    ctx.say(peers.read_text(os.path.join(logs, "gcc.log")))
                    raise Failed("C compilation failed")
    if "go" in ctx.options.peers and machine.have("go"):
        # The build cache in the run's own directory: nothing is written to the user's home.
        env = dict(os.environ, GOCACHE=os.path.join(ctx.work, "gocache"), GO111MODULE="off", CGO_ENABLED="0")
        with open(os.path.join(logs, "go.log"), "w") as log:
            if subprocess.call(["go", "build", "-o", ctx.binary("go_echo"), os.path.join(BENCH, "peers", "go_echo.go")],
                               stdout=log, stderr=subprocess.STDOUT, env=env) != 0:
                ctx.say(peers.read_text(os.path.join(logs, "go.log")))
                raise Failed("Go compilation failed")


def fit_memory_scenarios(ctx):
    """The selected scenarios, the memory ones with --idle-conns and within the fd limit; the limit raised.
    Every memory scenario of the file counts, selected or not, so that echoack's connection limits stay the
    same whichever scenarios run."""
    opts = ctx.options
    memory = [s for s in ctx.all_scenarios if s.kind == scenarios.MEMORY]
    wanted = opts.idle_conns or max((s.connections for s in memory), default=0)
    fit = machine.raise_fd_limit(wanted + 1000, ctx.say)
    ctx.max_idle_connections = fit
    return [s.with_connections(min(opts.idle_conns or s.connections, fit)) if s.kind == scenarios.MEMORY else s
            for s in opts.scenarios]


def start_servers(ctx, live, shared):
    """Every live peer's server at once (an idle one costs nothing): the ones that started."""
    servers = []
    for peer, port in live:
        ctx.say(f"[{peer.name}] starting server ({ctx.elapsed()} s)")
        server = peers.start(peer, port, os.path.join(ctx.work, f"{peer.name}.sock"), f"{peer.name}-server", ctx)
        if server:
            servers.append(server)
        else:
            for s in shared:
                ctx.record(runs.record(peer.name, s.id, "failed: server did not start"))
    return servers


def run_rounds(ctx, servers, shared):
    """Each scenario against each server in turn, so that anything else happening on the machine hits all
    peers alike; the order of the peers alternates per round. A server that died is restarted first."""
    for round_no in range(1, ctx.options.rounds + 1):
        order = servers if round_no % 2 else servers[::-1]
        for s in shared:
            for i, server in enumerate(order):
                why = server.peer.skip_reason(s)
                if why:
                    if round_no == 1:
                        ctx.record(runs.record(server.peer.name, s.id, f"skipped: {why}"))
                    continue
                if not server.alive():
                    server = restart(ctx, server)
                    if server is None:
                        ctx.record(runs.record(order[i].peer.name, s.id, "failed: server died and did not restart",
                                               round=round_no))
                        continue
                    replace(servers, order[i], server)
                    order[i] = server
                ctx.record(kinds.of(s.kind).run(ctx, server, s, round_no), show=True)


def restart(ctx, server):
    ctx.say(f"[{server.peer.name}] server died; restarting it")
    peers.stop(server, ctx)
    return peers.start(server.peer, server.port, server.sock, f"{server.peer.name}-server-restart", ctx)


def replace(servers, old, new):
    servers[servers.index(old)] = new


def write_report(ctx, selected, plot):
    opts = ctx.options
    out = opts.out
    shutil.rmtree(os.path.join(out, "logs"), ignore_errors=True)
    os.makedirs(os.path.join(out, "logs"))
    for name in os.listdir(ctx.logs):
        shutil.copy(os.path.join(ctx.logs, name), os.path.join(out, "logs"))
    shutil.copy(ctx.runs.path, os.path.join(out, "logs"))
    shutil.copytree(ctx.json_dir, os.path.join(out, "logs", "json"))
    config = {
        "warmup_s": float(opts.warmup), "duration_s": float(opts.duration), "rounds": opts.rounds,
        "server_warmup_s_per_transport": float(opts.server_warmup),
        "idle_connections": ctx.max_idle_connections,
        "peers": list(opts.peers), "server_java_opts": opts.server_java_opts, "client_java_opts": opts.client_java_opts,
        "server_args": opts.server_args, "client_args": opts.client_args,
        "wall_time_s": float(ctx.elapsed()),
        "targets_version": targets.VERSION,
    }
    rows = [(s.id, s.kind, s.describe()) for s in selected]
    drew = report.write(out, machine.describe(ctx.pinning), config, rows, runs.read(ctx.runs.path), plot)
    ctx.say(f"bench/run: done in {ctx.elapsed()} s; wrote {out}/latest.json, {out}/latest.txt"
            f"{f', {out}/latest.png' if drew else ''}")
