"""This machine: the tools bench/run needs or can use, CPU pinning, the fd limit, the ephemeral port range,
and its description for the report."""
import datetime
import os
import platform
import resource
import shutil
import subprocess

REQUIRED = ("java", "mvn", "python3")


def have(tool):
    return shutil.which(tool) is not None


def missing_required():
    return [t for t in REQUIRED if not have(t)]


def pinning(server_cpu, client_cpu):
    """(server prefix, client prefix, description): taskset prefixes when there are two CPUs or more."""
    ncpu = os.cpu_count() or 1
    if have("taskset") and ncpu >= 2:
        return (["taskset", "-c", server_cpu], ["taskset", "-c", client_cpu],
                f"server on CPU {server_cpu}, load generator on CPU {client_cpu}")
    if have("taskset"):
        return [], [], f"none (only {ncpu} CPU)"
    return [], [], "none (taskset not installed: apt-get install util-linux)"


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = f.read().split()
            return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


def raise_fd_limit(wanted, say):
    """Raises the fd limit (soft and hard, as the shell's ulimit -n does) to wanted, or as far as the hard
    limit allows: returns how many idle connections fit (wanted - 1000, or hard - 1000)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    fit = wanted - 1000
    if hard != resource.RLIM_INFINITY and hard < wanted:
        fit = hard - 1000
        say(f"bench/run: fd hard limit is {hard}: idle connections capped at {fit} instead of {wanted - 1000}")
        wanted = hard
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
    except (ValueError, OSError):
        say(f"bench/run: could not raise the fd limit to {wanted} (now {resource.getrlimit(resource.RLIMIT_NOFILE)[0]})")
    return fit


def command_output(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return None


def describe(pinning_text):
    """The machine as latest.json's "machine" holds it."""
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
        "node_version": command_output(["node", "--version"]) if have("node") else None,
        "go_version": command_output(["go", "version"]) if have("go") else None,
        "socat_version": (command_output(["socat", "-V"]) or "").splitlines()[1:2] if have("socat") else None,
        "gcc_version": (command_output(["gcc", "--version"]) or "").splitlines()[0:1] if have("gcc") else None,
        "date": datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "pinning": pinning_text,
    }
