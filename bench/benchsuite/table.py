"""The comparison table: a row per scenario, a column per peer, then echoack's ratio to each peer; and the
legend under it (notes, saturated load generator, busy machine)."""
from . import fmt, kinds, traffic

MEASURED = "echoack"
WIDTH = 28


class Legend:
    def __init__(self):
        self.notes, self.saturated, self.busy = [], [], []

    def note(self, text):
        self.notes.append(text)


def build(rows, peers, results):
    """rows: (id, kind, description) in order; results: {id: {peer: result}}. Returns (lines, legend lines)."""
    others = [p for p in peers if p != MEASURED] if MEASURED in peers else []
    header1 = f"{'scenario':<11}"
    header2 = f"{'':<11}"
    for p in peers:
        header1 += f" | {p:<{WIDTH}}"
        header2 += f" | {'msgs/s':>9}   {'p99 us':>7} {'cpu us':>8}"
    if others:
        header1 += " | echoack / peer (msgs/s; RSS: MB ratio)"
        header2 += " |" + "".join(f" {p:>8}" for p in others)
    lines = [header1, header2, "-" * len(header2)]
    legend = Legend()
    for sid, kind, _ in rows:
        module = kinds.of(kind)
        line = f"{sid:<11}"
        for p in peers:
            line += f" | {module.cell(p, sid, results.get(sid, {}).get(p), legend):>{WIDTH}}"
        if others:
            line += " |"
            mine = results.get(sid, {}).get(MEASURED) or {}
            for p in others:
                theirs = results.get(sid, {}).get(p) or {}
                q = fmt.ratio(mine.get(module.RATIO_KEY), theirs.get(module.RATIO_KEY))
                line += f" {(f'{q:.2f}x' if q is not None else '-'):>8}"
        lines.append(line)
    measured = sum(1 for sid, _, _ in rows for p in peers
                   if (results.get(sid, {}).get(p) or {}).get("msgs_per_s") is not None)
    return lines, legend_lines(legend, measured)


def legend_lines(legend, measured):
    out = []
    notes = merge_skips(legend.notes)
    if notes:
        out.append("notes (! = the load generator counted errors):")
        out.extend("  " + n for n in notes)
    if legend.saturated:
        out.append(f"* the load generator used >= {traffic.SATURATED:.0%} of its core (cores in parentheses): it, "
                   "not the server, may have set msgs/s there; compare cpu us:")
        out.append("  " + ", ".join(legend.saturated))
    if legend.busy:
        out.append(f"~ other processes used >= {traffic.BUSY_OTHER} CPU or the hypervisor stole >= 0.1 during the "
                   "measurement: less reliable, run again on a quiet machine:")
        out.append("  " + ("all of them" if len(legend.busy) == measured else ", ".join(legend.busy)))
    return out


def merge_skips(notes):
    """One note per peer and reason for skipped cells ("PEER ID, ID: skipped: WHY"), in place of
    one per scenario; other notes as they are."""
    merged, skips = [], {}
    for n in notes:
        head, sep, status = n.partition(": ")
        peer, _, sid = head.partition(" ")
        if sep and status.startswith("skipped"):
            key = (peer, status)
            if key not in skips:
                skips[key] = len(merged)
                merged.append([peer, [sid], status])
            else:
                merged[skips[key]][1].append(sid)
        else:
            merged.append(n)
    return [m if isinstance(m, str) else f"{m[0]} {', '.join(m[1])}: {m[2]}" for m in merged]
