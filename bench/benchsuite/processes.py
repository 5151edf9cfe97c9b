"""The processes bench/run starts: each in a process group of its own, all of them ended on exit, also on
Ctrl-C, and nothing else."""
import os
import signal
import subprocess
import time


class Processes:
    def __init__(self):
        self.started = []

    def start(self, argv, log_path, env=None, append=False, stdout_path=None):
        """Starts argv in a new session (its own process group), stdin from /dev/null, stdout and stderr to
        log_path (stdout to stdout_path if given)."""
        full_env = dict(os.environ, **env) if env else None
        with open(log_path, "a" if append else "w") as log:
            if stdout_path is None:
                p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     env=full_env, start_new_session=True)
            else:
                with open(stdout_path, "w") as out:
                    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=log, env=full_env,
                                         start_new_session=True)
        self.started.append(p)
        return p

    def run(self, argv, timeout, log_path, append=True, stdout=subprocess.DEVNULL):
        """Runs argv to its end, bounded by timeout seconds (then SIGTERM, SIGKILL 5 s later, as timeout(1)
        does: exit code 124); returns its exit code, 128 + N when signal N ended it."""
        with open(log_path, "a" if append else "w") as log:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=log, start_new_session=True)
        self.started.append(p)
        return self.wait(p, timeout)

    def wait(self, p, timeout):
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            stop_group(p, grace=5)
            rc = 124
        self.started.remove(p)  # not when interrupted: stop_all() ends it then
        return 128 - rc if rc < 0 else rc

    def stop(self, procs, grace=10):
        """SIGTERM to each process group, SIGKILL to those still there after grace seconds (in all)."""
        for p in procs:
            signal_group(p, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for p in procs:
            try:
                p.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for p in procs:
            signal_group(p, signal.SIGKILL)
            p.poll()
            if p in self.started:
                self.started.remove(p)

    def stop_all(self):
        procs = list(self.started)
        for p in procs:
            signal_group(p, signal.SIGTERM)
        time.sleep(0.2)
        for p in procs:
            signal_group(p, signal.SIGKILL)
            p.poll()
        self.started.clear()


def signal_group(p, sig):
    try:
        os.killpg(p.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_group(p, grace):
    signal_group(p, signal.SIGTERM)
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        signal_group(p, signal.SIGKILL)
        p.wait()
