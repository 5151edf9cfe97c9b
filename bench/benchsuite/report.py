"""The report of a run: results from the run records (median over rounds), the text (header, table,
targets), latest.json, latest.txt and the chart; and the text again from a stored latest.json."""
import json
import os

from . import chart, kinds, scenarios, table, targets, traffic

MEDIAN_KEYS = ("msgs_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "max_us", "server_cpu_us_per_msg",
               "server_user_share", "server_cores", "loadgen_cores", "machine_busy_cores", "other_cores", "steal_cores",
               # the loadgen kind: the median of the per-round ratios, not the ratio of the medians
               "c_msgs_per_s", "loadgen_ratio", "loadgen_cpu_us_per_msg", "c_loadgen_cpu_us_per_msg", "c_loadgen_cores")


def summarise(run, kind):
    return kinds.of(kind).summarise(run)


def progress_line(run, kind):
    head = f"[{run['peer']}] {run['scenario']:<11}" + (f" r{run['round']}" if run.get("round", 1) > 1 else "")
    return kinds.of(kind).progress(head, summarise(run, kind))


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def combine(summaries):
    """One result from the rounds of a peer and scenario: the median of each number over the rounds that
    produced one; errors summed; every round kept under "rounds"."""
    if len(summaries) == 1:
        return summaries[0]
    good = [s for s in summaries if s.get("msgs_per_s") is not None]
    if not good:
        out = dict(summaries[0])
    else:
        out = {"status": "ok" if len(good) == len(summaries) else
               f"{len(summaries) - len(good)} of {len(summaries)} rounds failed: " +
               next(s["status"] for s in summaries if s.get("msgs_per_s") is None)}
        for key in MEDIAN_KEYS:
            out[key] = median(s.get(key) for s in good)
        errors = {}
        for s in good:
            for k, v in (s.get("errors") or {}).items():
                errors[k] = errors.get(k, 0) + v
        out["errors"] = errors
        out["server_cpu_window"] = good[0].get("server_cpu_window")
    out["rounds"] = summaries
    return out


def results_of(runs, rows):
    """{scenario id: {peer: result}} from the run records, in the order the records came."""
    kind = {sid: k for sid, k, _ in rows}
    per_pair = {}
    for run in runs:
        summary = summarise(run, kind.get(run["scenario"], scenarios.TRAFFIC))
        per_pair.setdefault(run["scenario"], {}).setdefault(run["peer"], []).append(summary)
    return {sid: {p: combine(rs) for p, rs in by_peer.items()} for sid, by_peer in per_pair.items()}


def render(machine, config, rows, results):
    """(text, table lines, targets) of a run: machine and config as latest.json holds them, rows the
    scenarios as (id, kind, description)."""
    peers = config["peers"]
    lines, legend = table.build(rows, peers, results)
    evaluated = targets.evaluate(results, config["idle_connections"], config.get("targets_version", 1))
    rounds = config["rounds"]
    text = [f"echoack bench suite, {machine['date']}: {machine['nproc']} CPUs ({machine['cpu_model']}), "
            f"Linux {machine['kernel']}, {machine['java_version']}",
            f"pinning: {machine['pinning']}; each server warmed up with {config['server_warmup_s_per_transport']:.0f}s "
            f"of TCP, UDP, Unix and connect-per-message load; {config['warmup_s']:.0f}s warm-up + "
            f"{config['duration_s']:.0f}s per scenario{f', median of {rounds} rounds' if rounds > 1 else ''}; "
            f"msgs/s and p99 from the load generator, cpu us = server CPU time per message"]
    others = median(r.get("other_cores") for by_peer in results.values() for r in by_peer.values())
    if others is not None and others >= traffic.BUSY_OTHER:
        text.append(f"WARNING: other processes kept a median {others:.2f} of the {machine['nproc']} CPUs busy during "
                    f"the measurements: absolute numbers are low and noisy; ratios are less reliable "
                    f"(each scenario ran against all peers back to back to share the noise)")
    text += [""] + lines
    if legend:
        text += [""] + legend
    text += ["", f"targets (echoack vs {targets.REFERENCE}, measured in this run):"]
    text += [f"  {t['verdict']:<4}  {t['target']:<30} {t['detail']}" for t in evaluated]
    text += ["", "scenarios: " + "; ".join(f"{sid} = {desc}" for sid, _, desc in rows),
             f"wall time: {config['wall_time_s']:.0f} s"]
    return "\n".join(text), lines, evaluated


def document(machine, config, rows, results, lines, evaluated):
    """latest.json: what bench/compare.py and anyone after reads."""
    peers = config["peers"]
    return {
        "machine": machine,
        "config": config,
        "scenarios": [
            {
                "id": sid,
                "description": desc,
                "kind": kind,
                "results": results.get(sid, {}),
                "echoack_ratio": {
                    p: ratio_to(results.get(sid, {}), p, kinds.of(kind).RATIO_KEY) for p in peers if p != table.MEASURED
                },
            }
            for sid, kind, desc in rows
        ],
        "targets": evaluated,
        "table": lines,
    }


def ratio_to(by_peer, peer, key):
    mine, theirs = (by_peer.get(table.MEASURED) or {}).get(key), (by_peer.get(peer) or {}).get(key)
    return mine / theirs if mine is not None and theirs else None


def write(out_dir, machine, config, rows, runs, plot=True):
    """Prints the text and writes latest.txt, latest.json and (plot) latest.png to out_dir."""
    results = results_of(runs, rows)
    text, lines, evaluated = render(machine, config, rows, results)
    print(text)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "latest.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(out_dir, "latest.json"), "w") as f:
        json.dump(document(machine, config, rows, results, lines, evaluated), f, indent=2)
        f.write("\n")
    if plot:
        title = (f"echoack vs reference echo servers, msgs/s ({machine['date'][:10]}, {machine['nproc']} CPUs "
                 f"{machine['cpu_model'] or ''}, {machine['pinning']})")
        return chart.plot(os.path.join(out_dir, "latest.png"), rows, config["peers"], results, title.replace('"', "'"))
    return False


def show(path, all_scenarios):
    """The text of a stored latest.json, as the run that wrote it printed it."""
    with open(path) as f:
        doc = json.load(f)
    rows = [(s["id"], s.get("kind") or scenarios.kind_of(s["id"], all_scenarios), s["description"])
            for s in doc["scenarios"]]
    results = {s["id"]: s.get("results", {}) for s in doc["scenarios"]}
    return render(doc["machine"], doc["config"], rows, results)[0]
