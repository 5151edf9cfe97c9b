"""The runs file: one JSON object per line, one per run of a scenario against a peer (or why it did not
run). bench/run appends to it; the report reads it back, also later from the copy under results/logs/."""
import json
import os


def record(peer, scenario, status, **fields):
    """A run's record: the peer, the scenario id, a status ("ok", "skipped: why", "failed ..."), then the
    kind's own fields (the `echoack bench` JSON and CPU samples, or the RSS readings)."""
    return {"peer": peer, "scenario": scenario, "status": status, **fields}


class RunsFile:
    def __init__(self, path):
        self.path = path
        open(path, "w").close()

    def append(self, run):
        with open(self.path, "a") as f:
            f.write(json.dumps(run, separators=(",", ":")) + "\n")


def read(path):
    """The records of a runs file. The files they name (the bench JSON, the CPU samples) lay in bench/run's
    temporary directory, which is gone after the run: where one is missing, its copy in json/ next to the
    runs file (bench/run copies them to results/logs/json/) is used instead."""
    copies = os.path.join(os.path.dirname(os.path.abspath(path)), "json")
    runs = []
    with open(path) as f:
        for line in f:
            if line.strip():
                run = json.loads(line)
                for key in ("json", "cpu_samples"):
                    if run.get(key) and not os.path.exists(run[key]):
                        copy = os.path.join(copies, os.path.basename(run[key]))
                        if os.path.exists(copy):
                            run[key] = copy
                runs.append(run)
    return runs
