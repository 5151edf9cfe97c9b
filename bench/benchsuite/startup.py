"""The start kinds: how long a server takes from exec until it serves TCP, UDP and Unix (server-start), and how long
`bin/echoack send` takes for one message from exec to exit (client-start: what a user waits for every time they type
a command). Each on a fresh server of its own, before any traffic; the scenario's connections column is how many
starts are measured, and the median is reported."""
import os
import socket
import subprocess
import time

from . import fmt, peers, runs, scenarios

ISOLATED = True
RATIO_KEY = "median_ms"
CHARTED = False
NEEDS = None
POLL_S = 0.002          # how often a starting server is probed: the resolution of server-start
START_TIMEOUT_S = 30    # a server that does not serve by then failed
SEND_TIMEOUT_S = 30     # a `bin/echoack send` that has not exited by then failed


def run(ctx, peer, scenario, port):
    if scenario.kind == scenarios.SERVER_START:
        return server_start(ctx, peer, scenario, port)
    return client_start(ctx, peer, scenario, port)


# ------------------------------------------------------------------------------------------ server start

def server_start(ctx, peer, scenario, port):
    """scenario.connections fresh starts of the peer's server, each timed from exec until it serves."""
    sock = os.path.join(ctx.work, f"{peer.name}-start.sock")
    log = os.path.join(ctx.logs, f"{peer.name}-start-server.err")
    samples = []
    for i in range(scenario.connections):
        if os.path.lexists(sock):
            os.remove(sock)
        t0 = time.monotonic()
        procs = [ctx.processes.start(argv, log, env=env, append=i > 0 or j > 0)
                 for j, (argv, env) in enumerate(peers.commands(peer, port, sock, ctx))]
        try:
            status = wait_serving(peer, port, sock, procs, t0)
            if status != "ok":
                return runs.record(peer.name, scenario.id, f"failed: start {i + 1}: {status}", start_ms=samples)
            samples.append(round((time.monotonic() - t0) * 1000, 1))
        finally:
            ctx.processes.stop(procs, grace=10)
    return runs.record(peer.name, scenario.id, "ok", start_ms=samples)


def wait_serving(peer, port, sock, procs, t0):
    """"ok" once the server answers on TCP, echoes a UDP datagram and accepts on its Unix socket (each as the peer
    serves it); else why not."""
    deadline = t0 + START_TIMEOUT_S
    tcp_ok = udp_ok = False
    unix_ok = not peer.unix
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        udp.connect(("127.0.0.1", port))
        udp.setblocking(False)
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                return "the server exited"
            tcp_ok = tcp_ok or connects(socket.AF_INET, ("127.0.0.1", port))
            udp_ok = udp_ok or echoes(udp)
            unix_ok = unix_ok or (peers.is_socket(sock) and connects(socket.AF_UNIX, sock))
            if tcp_ok and udp_ok and unix_ok:
                return "ok"
            time.sleep(POLL_S)
    finally:
        udp.close()
    missing = [name for name, ok in (("TCP", tcp_ok), ("UDP", udp_ok), ("Unix", unix_ok)) if not ok]
    return f"not serving {', '.join(missing)} within {START_TIMEOUT_S} s"


def connects(family, address):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(0.5)
    try:
        s.connect(address)
        return True
    except OSError:
        return False
    finally:
        s.close()


def echoes(udp):
    """Sends a probe and reads what came back so far: True once an answer arrived (to this or an earlier probe)."""
    try:
        udp.send(b"?")
    except OSError:
        pass  # an earlier probe's port unreachable surfaces here: not bound yet
    try:
        udp.recv(64)
        return True
    except (BlockingIOError, InterruptedError):
        time.sleep(POLL_S)
        try:
            udp.recv(64)
            return True
        except OSError:
            return False
    except OSError:
        return False


# ------------------------------------------------------------------------------------------ client start

def client_jar(ctx, peer):
    """The echoack client jar of an echoack peer (None for the others, and for a reference build without one):
    echoack's own, or the echoack-client-NAME.jar bench/build-ref leaves next to echoack-server-NAME.jar."""
    if not peer.is_echoack:
        return None
    if not peer.name.startswith("ref-"):  # echoack, echoack-uring: this build's client
        return os.path.join(ctx.root, "client", "target", "echoack.jar")
    base = os.path.basename(peer.jar)
    name = ("echoack-client-" + base[len("echoack-server-"):] if base.startswith("echoack-server-")
            else base[:-len(".jar")] + "-client.jar" if base.endswith(".jar") else base + "-client.jar")
    jar = os.path.join(os.path.dirname(peer.jar), name)
    return jar if os.path.isfile(jar) else None


def client_env(ctx, jar):
    """The environment `bin/echoack` runs in: this jar, the launcher's own JVM flags, the run's archives."""
    return dict(os.environ, ECHOACK_CLIENT_JAR=jar, JAVA_OPTS="", ECHOACK_JAVA_OPTS="", ECHOACK_CDS_DIR=ctx.cds_dir)


def prepare_archives(ctx, peer):
    """Makes the class data sharing archives of an echoack peer's server and client jars before anything is
    measured (ECHOACK_CDS=create, in the run's own directory): otherwise the first start of each would train one
    in the background, on the measured core, while the suite measures (bin/echoack-cds.sh)."""
    t0 = time.monotonic()
    launches = [(os.path.join(ctx.root, "bin", "echoack-server"), env) for _, env in peers.commands(peer, 0, "", ctx)]
    jar = client_jar(ctx, peer)
    if jar is not None:
        launches.append((os.path.join(ctx.root, "bin", "echoack"), client_env(ctx, jar)))
    for launcher, env in launches:
        done = subprocess.run([launcher], env=dict(os.environ, **env, ECHOACK_CDS="create"), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            ctx.say(f"[{peer.name}] no class data sharing archive for {os.path.basename(launcher)}: "
                    f"{done.stderr.strip() or done.returncode}")
    ctx.say(f"[{peer.name}] class data sharing archives made ({time.monotonic() - t0:.1f} s)")


def client_start(ctx, peer, scenario, port):
    """scenario.connections runs of `bin/echoack send ENDPOINT MESSAGE` against a fresh server of the peer, each
    timed from exec to exit, pinned to the load generator's core."""
    jar = client_jar(ctx, peer)
    if jar is None:
        why = "measures echoack's own client" if not peer.is_echoack else "no client jar next to the reference jar"
        return runs.record(peer.name, scenario.id, f"skipped: {why}")
    sock = os.path.join(ctx.work, f"{peer.name}-send.sock")
    server = peers.start(peer, port, sock, f"{peer.name}-send-server", ctx)
    if server is None:
        return runs.record(peer.name, scenario.id, "failed: server did not start")
    message = "m" * scenario.size
    argv = ctx.client_pin + [os.path.join(ctx.root, "bin", "echoack"), "send", server.endpoint(scenario.transport),
                             message]
    env = client_env(ctx, jar)
    samples = []
    try:
        for i in range(scenario.connections):
            t0 = time.monotonic()
            try:
                done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                      timeout=SEND_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                return runs.record(peer.name, scenario.id, f"failed: send {i + 1} took over {SEND_TIMEOUT_S} s",
                                   send_ms=samples)
            elapsed = time.monotonic() - t0
            if done.returncode != 0 or message not in done.stdout:
                said = (done.stderr.strip() or done.stdout.strip()).splitlines()[:1]
                return runs.record(peer.name, scenario.id,
                                   f"failed: send {i + 1} exited {done.returncode}: {said[0] if said else ''}",
                                   send_ms=samples)
            samples.append(round(elapsed * 1000, 1))
    finally:
        peers.stop(server, ctx)
    return runs.record(peer.name, scenario.id, "ok", send_ms=samples)


# ------------------------------------------------------------------------------------------ report

def samples_of(run):
    return run.get("start_ms") or run.get("send_ms") or []


def summarise(run):
    out = {"status": run.get("status", "?")}
    samples = sorted(samples_of(run))
    if samples and out["status"] == "ok":
        mid = len(samples) // 2
        out["median_ms"] = samples[mid] if len(samples) % 2 else round((samples[mid - 1] + samples[mid]) / 2, 1)
        out["min_ms"], out["max_ms"], out["samples_ms"] = samples[0], samples[-1], samples_of(run)
    return out


def progress(head, s):
    if "median_ms" not in s:
        return f"{head} {s['status']}"
    return (f"{head} median {fmt.num(s['median_ms'], 1)} ms of {len(s['samples_ms'])} "
            f"(min {fmt.num(s['min_ms'], 1)}, max {fmt.num(s['max_ms'], 1)})")


def cell(peer, sid, r, legend):
    """The table cell: the median wall time in ms."""
    if r and r.get("status", "ok") != "ok":
        legend.note(f"{peer} {sid}: {r['status']}")
    return f"{r['median_ms']:.0f} ms" if r and r.get("median_ms") is not None else (fmt.short_status(r) if r else "-")
