"""bench/run's command line and environment, read once into an Options record."""
import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from . import peers, scenarios

USAGE = """\
bench/run: runs the same bench scenarios against echoack and against reference echo servers on this
machine, in one invocation, and prints one comparison table (see bench/README.md).

  bench/run [--quick] [--no-build] [--peers echoack,echoack-uring,c-epoll,c-fork,socat,node,go] [--scenarios ID,ID,...]
            [--warmup S] [--duration S] [--rounds N] [--server-warmup S] [--idle-conns N] [--out DIR]
            [--ref JAR]

--ref JAR (repeatable) adds a peer ref-NAME: the same launcher and flags with another echoack-server.jar
(e.g. one built from an older commit with bench/build-ref; NAME is what follows "echoack-server-" in the
jar's file name), so that a change is measured before/after in one run.

Every peer's server runs at once; each scenario runs against each peer in turn (--rounds N: N times,
the median is reported), so that whatever else happens on the machine hits all peers alike. The scenarios
are those of bench/scenarios.txt.
Writes DIR/latest.json, DIR/latest.txt, DIR/latest.png (DIR defaults to bench/results) and the logs of
every process under DIR/logs/. Tunables from the environment:
  BENCH_SERVER_JAVA_OPTS  JVM flags added to bin/echoack-server's (default: none)
  BENCH_CLIENT_JAVA_OPTS  JVM flags of the load generator          (default: none)
  BENCH_SERVER_ARGS       extra echoack-server arguments, e.g. "--threads 1"
  BENCH_CLIENT_ARGS       extra arguments for every `echoack bench` run
  BENCH_LOADGEN           the load generator command instead of `java $BENCH_CLIENT_JAVA_OPTS -jar
                          client/target/echoack.jar` (same `bench` interface and JSON)
  BENCH_BASE_PORT         first of the ports used, 4 per peer (default: 61300, above Linux's ephemeral range)
  BENCH_SERVER_CPU, BENCH_CLIENT_CPU  cores for taskset          (default: 1 and 0)
"""


class UsageError(Exception):
    """Bad command line or environment; the message names what was typed. show_usage: print USAGE too."""

    def __init__(self, message, show_usage=False):
        super().__init__(message)
        self.show_usage = show_usage


@dataclass(frozen=True)
class Options:
    warmup: int
    duration: int
    rounds: int
    server_warmup: int
    idle_conns: Optional[int]          # --idle-conns: replaces the memory scenarios' connection counts
    build: bool
    out: str
    peers: Tuple[str, ...]             # in run order: the selected peers of peers.NAMES, then ref-* by name
    ref_jars: Dict[str, str]           # ref-NAME -> the jar's absolute path
    scenarios: Tuple[scenarios.Scenario, ...]  # the selected ones, in the scenario file's order
    server_java_opts: str
    client_java_opts: str
    server_args: str                   # BENCH_SERVER_ARGS, split on whitespace where used
    client_args: str
    loadgen: Optional[List[str]]       # BENCH_LOADGEN, split; None = java -jar client/target/echoack.jar
    base_port: int
    server_cpu: str
    client_cpu: str


def parse(argv, env, all_scenarios, default_out):
    """Options from the arguments and the environment; UsageError on anything wrong, or HelpRequested."""
    v = {"warmup": "1", "duration": "5", "rounds": "1", "server_warmup": "5", "idle_conns": None}
    build, out, peer_filter, scenario_filter, refs = True, default_out, "", "", {}
    args = list(argv)
    while args:
        arg = args.pop(0)

        def value():
            if not args:
                raise UsageError(f"{arg} needs a value")
            return args.pop(0)

        if arg == "--quick":
            v["warmup"], v["duration"] = "1", "2"
        elif arg == "--no-build":
            build = False
        elif arg == "--peers":
            peer_filter = value()
        elif arg == "--scenarios":
            scenario_filter = value()
        elif arg in ("--warmup", "--duration", "--rounds", "--server-warmup", "--idle-conns"):
            v[arg[2:].replace("-", "_")] = value()
        elif arg == "--out":
            out = value()
        elif arg == "--ref":
            jar = value()
            if not os.path.isfile(jar):
                raise UsageError(f"--ref {jar}: no such file")
            refs[peers.ref_name(jar)] = os.path.realpath(jar)
        elif arg in ("-h", "--help"):
            raise HelpRequested()
        else:
            raise UsageError(f"unknown argument '{arg}'", show_usage=True)
    n = {k: numbers(k, s) for k, s in v.items() if s is not None}
    if n["duration"] < 1 or n["rounds"] < 1 or ("idle_conns" in n and n["idle_conns"] < 1):
        raise UsageError(WHOLE)
    return Options(
        warmup=n["warmup"], duration=n["duration"], rounds=n["rounds"], server_warmup=n["server_warmup"],
        idle_conns=n.get("idle_conns"), build=build, out=out,
        peers=select_peers(peer_filter, refs), ref_jars=refs,
        scenarios=select_scenarios(scenario_filter, all_scenarios),
        server_java_opts=env.get("BENCH_SERVER_JAVA_OPTS", ""), client_java_opts=env.get("BENCH_CLIENT_JAVA_OPTS", ""),
        server_args=env.get("BENCH_SERVER_ARGS", ""), client_args=env.get("BENCH_CLIENT_ARGS", ""),
        loadgen=env["BENCH_LOADGEN"].split() if env.get("BENCH_LOADGEN") else None,
        base_port=env_number(env, "BENCH_BASE_PORT", "61300"),
        server_cpu=env.get("BENCH_SERVER_CPU", "1"), client_cpu=env.get("BENCH_CLIENT_CPU", "0"))


class HelpRequested(Exception):
    pass


WHOLE = "--warmup, --duration, --rounds and --idle-conns take whole numbers"


def numbers(key, text):
    if not text.isdigit():
        raise UsageError(WHOLE)
    return int(text)


def env_number(env, name, default):
    text = env.get(name) or default
    if not text.isdigit():
        raise UsageError(f"{name}={text}: not a port number")
    return int(text)


def names(text):
    return [x for x in text.split(",") if x]


def select_peers(text, refs):
    for name in names(text):
        if name not in peers.NAMES:
            raise UsageError(f"unknown peer '{name}' (peers: {' '.join(peers.NAMES)})")
    wanted = names(text)
    chosen = [p for p in peers.NAMES if not wanted or p in wanted]
    # Reference builds of echoack run right after the peers above, so they share their noise.
    return tuple(chosen + sorted(refs))


def select_scenarios(text, all_scenarios):
    ids = [s.id for s in all_scenarios]
    for name in names(text):
        if name not in ids:
            raise UsageError(f"unknown scenario '{name}' (scenarios: {' '.join(ids)})")
    wanted = names(text)
    return tuple(s for s in all_scenarios if not wanted or s.id in wanted)
