"""The peers: echoack, the reference echo servers and reference builds of echoack; how each starts, what it
serves, and a running server (ready, alive, stopped)."""
import os
import socket
import stat
import time
import zipfile
from dataclasses import dataclass
from typing import Optional

from . import loadgen, scenarios

NAMES = ("echoack", "echoack-uring", "c-epoll", "c-fork", "socat", "node", "go")
READY_TIMEOUT_S = 30


@dataclass(frozen=True)
class Peer:
    name: str
    jar: Optional[str] = None               # echoack and ref-*: the server jar
    tool: Optional[str] = None               # the command it needs, else skipped ...
    install: str = ""                        # ... with this hint
    one_message_per_connection: bool = False  # c-fork: runs the connect-per-message scenarios only
    forks_per_connection: bool = False       # no memory scenario: it would fork a process per idle connection
    forks_per_datagram: bool = False         # socat: UDP measured for at most 2 s, and not warmed up
    unix: bool = True                        # serves a Unix stream socket too (c-fork: TCP only)
    server_args: tuple = ()                  # echoack peers: more echoack-server arguments (echoack-uring's transport)

    @property
    def is_echoack(self):
        return self.jar is not None

    def skip_reason(self, scenario):
        """Why this peer does not run scenario (None: it does)."""
        if scenario.kind == scenarios.LOADGEN:
            return loadgen.skip_reason(self)
        if scenario.kind == scenarios.MEMORY and self.forks_per_connection:
            return f"{self.name} forks a process per connection"
        if scenario.kind != scenarios.CONNECT_PER_MESSAGE and self.one_message_per_connection:
            return "serves one message per connection (TCP only)"
        return None


def peer(name, server_jar, ref_jars):
    """The peer called name; ref_jars maps each ref-NAME to its jar."""
    if name == "echoack":
        return Peer(name, jar=server_jar)
    if name == "echoack-uring":  # the same build on Netty's io_uring transport instead of the one auto picks
        return Peer(name, jar=server_jar, server_args=("--transport", "io_uring"))
    if name in ref_jars:
        return Peer(name, jar=ref_jars[name])
    return {
        "c-epoll": Peer(name, tool="gcc", install="apt-get install gcc"),
        "c-fork": Peer(name, tool="gcc", install="apt-get install gcc", one_message_per_connection=True,
                       forks_per_connection=True, unix=False),
        "socat": Peer(name, tool="socat", install="apt-get install socat", forks_per_connection=True,
                      forks_per_datagram=True),
        "node": Peer(name, tool="node"),
        "go": Peer(name, tool="go", install="apt-get install golang-go"),
    }[name]


def ref_name(jar_path):
    """ref-NAME for a reference jar: NAME is what follows "echoack-server-" in its file name."""
    base = os.path.basename(jar_path)
    base = base[:-4] if base.endswith(".jar") else base
    return "ref-" + (base[len("echoack-server-"):] if base.startswith("echoack-server-") else base)


def has_limits(jar):
    """Whether a server jar has the connection limits (a reference build from before them does not know the
    flags)."""
    with zipfile.ZipFile(jar) as z:
        return any(n.startswith("io/echoack/server/limits/") for n in z.namelist())


def commands(peer, port, sock, ctx):
    """[(argv, env)] of the peer's server processes: each is started pinned, in a process group of its own."""
    pin = ctx.server_pin
    if peer.is_echoack:
        # The connection limits on, as deployed (counted globally and per address), but above what the
        # scenarios open: a memory scenario opens its idle connections from one address.
        limit = str(ctx.max_idle_connections + 1000)
        limits = ["--max-connections", limit, "--max-connections-per-ip", limit] if has_limits(peer.jar) else []
        # Through the launcher users run (bin/echoack-server: its JVM flags); BENCH_SERVER_JAVA_OPTS override them.
        env = {"JAVA_OPTS": ctx.options.server_java_opts, "ECHOACK_JAVA_OPTS": "", "ECHOACK_JAR": peer.jar,
               "ECHOACK_CDS_DIR": ctx.cds_dir}
        return [(pin + [os.path.join(ctx.root, "bin", "echoack-server"), "--mode", "echo", "--framing", "raw", *limits,
                        "-l", f"tcp://127.0.0.1:{port}", "-l", f"udp://127.0.0.1:{port}", "-l", f"unix://{sock}",
                        *peer.server_args, *ctx.options.server_args.split()], env)]
    if peer.name == "c-epoll":
        return [(pin + [ctx.binary("epoll_echo"), "-p", str(port), "-u", sock], None)]
    if peer.name == "c-fork":
        return [(pin + [ctx.binary("fork_echo"), "-p", str(port)], None)]
    if peer.name == "node":
        return [(pin + ["node", os.path.join(ctx.bench, "peers", "node_echo.js"), "--port", str(port), "--unix", sock],
                 None)]
    if peer.name == "go":
        return [(pin + [ctx.binary("go_echo"), "-port", str(port), "-unix", sock], None)]
    if peer.name == "socat":
        return [(pin + ["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr,backlog=4096", "PIPE"], None),
                (pin + ["socat", f"UDP-RECVFROM:{port},bind=127.0.0.1,fork", "PIPE"], None),
                (pin + ["socat", f"UNIX-LISTEN:{sock},fork,backlog=4096", "PIPE"], None)]
    raise ValueError(f"no command for peer {peer.name}")


class Server:
    """A peer's server processes, started by start() on a TCP and UDP port and a Unix socket path."""

    def __init__(self, peer, port, sock, log, procs):
        self.peer, self.port, self.sock, self.log, self.procs = peer, port, sock, log, procs

    @property
    def pids(self):
        return [p.pid for p in self.procs]

    def endpoint(self, transport):
        return f"unix://{self.sock}" if transport == "unix" else f"{transport}://127.0.0.1:{self.port}"

    def alive(self):
        return bool(self.procs) and all(p.poll() is None for p in self.procs)


def start(peer, port, sock, log_name, ctx):
    """Starts the peer's server and waits (bounded) until it serves; None, having said why, if it does not."""
    log = os.path.join(ctx.logs, f"{log_name}.err")
    if os.path.lexists(sock):
        os.remove(sock)
    procs = [ctx.processes.start(argv, log, env=env, append=i > 0)
             for i, (argv, env) in enumerate(commands(peer, port, sock, ctx))]
    server = Server(peer, port, sock, log, procs)
    if wait_ready(server, ctx):
        return server
    stop(server, ctx)
    return None


def wait_ready(server, ctx):
    """Ready when the TCP port accepts and the Unix socket exists (each peer binds UDP before Unix; c-fork
    serves TCP only); echoack logs each listener once bound, so it waits for its Unix listener's line."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    name = server.peer.name
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in server.procs):
            ctx.say(f"[{name}] server exited at startup:")
            ctx.say(tail(server.log, 5))
            return False
        if (not server.peer.unix or is_socket(server.sock)) and accepts(server.port):
            if not server.peer.is_echoack or "listening on unix" in read_text(server.log):
                return True
        time.sleep(0.1)
    ctx.say(f"[{name}] server not ready within {READY_TIMEOUT_S} s")
    ctx.say(tail(server.log, 5))
    return False


def stop(server, ctx):
    """SIGTERM to each process group, SIGKILL after 10 s; socat's children go with their group."""
    ctx.processes.stop(server.procs, grace=10)
    server.procs = []
    if os.path.lexists(server.sock):
        os.remove(server.sock)


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def is_socket(path):
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def tail(path, n):
    return "\n".join(read_text(path).splitlines()[-n:])
