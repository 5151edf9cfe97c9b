"""The PNG chart, drawn by gnuplot: grouped bars per scenario and peer, msgs/s on top, server CPU us per
message below."""
import os
import shutil
import subprocess
import sys

from . import kinds


def plot(path_png, rows, peers, results, title):
    ids = [sid for sid, kind, _ in rows if kinds.of(kind).CHARTED]
    if not ids or not shutil.which("gnuplot"):
        return False
    data_path = path_png + ".dat"
    with open(data_path, "w") as f:
        for key in ("msgs_per_s", "server_cpu_us_per_msg"):
            f.write(f"# {key}: scenario " + " ".join(peers) + "\n")
            for sid in ids:
                vals = []
                for p in peers:
                    v = (results.get(sid, {}).get(p) or {}).get(key)
                    vals.append(f"{v:.3f}" if v else "NaN")
                f.write(sid + " " + " ".join(vals) + "\n")
            f.write("\n\n")

    def bars(index):
        return f"'{data_path}' index {index} using 2:xtic(1) title '{peers[0]}'" + "".join(
            f", '' index {index} using {i + 2} title '{p}'" for i, p in enumerate(peers) if i > 0)

    script = f"""
set terminal pngcairo size 1400,1000 font ',11'
set output '{path_png}'
set multiplot layout 2,1 title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y
set format y '%.0s%c'
set grid ytics
set key top right
set datafile missing 'NaN'
set xrange [-0.6:{len(ids) - 0.4}]
set ylabel 'messages per second (log scale, higher is better)'
plot {bars(0)}
set format y '%g'
set ylabel 'server CPU us per message (log scale, lower is better)'
plot {bars(1)}
unset multiplot
"""
    p = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True)
    os.remove(data_path)
    if p.returncode != 0:
        sys.stderr.write(f"report.py: gnuplot failed: {p.stderr.strip()}\n")
        return False
    return True
