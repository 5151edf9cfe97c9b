#!/usr/bin/env python3
"""Checks the layers of the echoack image, read from `docker save IMAGE` on stdin.

The third-party jars (/opt/echoack/lib/*.jar but echoack-*) must sit in layers of their own, each jar once,
below the one layer that holds echoack's own code (/opt/echoack/echoack*.jar and /opt/echoack/lib/echoack-*.jar,
nothing else); that layer and any above it, which a code change ships again, must stay under --max-code-bytes.
Prints one line with the sizes and exits 0, or prints what is wrong and exits 1.

Reads the classic `docker save` format (<id>/layer.tar and manifest.json) and the OCI layout newer engines
write (blobs/sha256/..., manifest.json), without unpacking anything to disk.
"""
import argparse
import io
import json
import re
import sys
import tarfile

CODE = re.compile(r"^opt/echoack/(echoack[^/]*\.jar|lib/echoack-[^/]*\.jar)$")
DEPENDENCY = re.compile(r"^opt/echoack/lib/[^/]+\.jar$")
SMALL = 4 << 20   # members up to this size are read whole (config, manifests, small layers)


def layer_files(tar):
    """The regular files a layer adds (paths without a leading ./ or /), whiteouts left out."""
    return {m.name.lstrip("./").lstrip("/") for m in tar if m.isfile() and "/.wh." not in "/" + m.name}


def read_archive(stream):
    """(manifest, {member name: bytes} of the JSON members, {member name: (size, files)} of the layers)."""
    jsons, layers, manifest = {}, {}, None
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        for member in archive:
            if not member.isfile():
                continue
            f = archive.extractfile(member)
            if member.size <= SMALL:
                data = f.read()
                try:
                    value = json.loads(data)
                    if member.name == "manifest.json":
                        manifest = value
                    jsons[member.name] = value
                    continue
                except ValueError:
                    f = io.BytesIO(data)
            try:
                with tarfile.open(fileobj=f, mode="r|*") as layer:
                    layers[member.name] = (member.size, layer_files(layer))
            except tarfile.TarError:
                pass   # neither JSON nor a layer (e.g. the repositories file)
    return manifest, jsons, layers


def human(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-code-bytes", type=int, default=1_000_000)
    args = parser.parse_args()
    manifest, _, layers = read_archive(sys.stdin.buffer)
    if not manifest:
        sys.exit("no manifest.json in the input: pipe `docker save IMAGE` into this")
    order = manifest[0]["Layers"]   # bottom first
    missing = [name for name in order if name not in layers]
    if missing:
        sys.exit(f"layers listed in manifest.json but not found: {missing}")
    rows = [(i, layers[name][0], layers[name][1]) for i, name in enumerate(order)]
    problems = []

    code_layers = [i for i, _, files in rows if any(CODE.match(f) for f in files)]
    dependency_layers = [i for i, _, files in rows
                         if any(DEPENDENCY.match(f) and not CODE.match(f) for f in files)]
    if len(code_layers) != 1:
        sys.exit(f"echoack's code must be in exactly one layer, found it in {len(code_layers)}")
    code = code_layers[0]
    code_files = rows[code][2]
    for jar in ("opt/echoack/echoack-server.jar", "opt/echoack/echoack.jar"):
        if jar not in code_files:
            problems.append(f"{jar} is not in the code layer")
    strays = sorted(f for f in code_files if f.startswith("opt/echoack/") and not CODE.match(f))
    if strays:
        problems.append(f"the code layer also holds {', '.join(strays[:5])}: third-party jars belong below it")
    if not dependency_layers:
        problems.append("no layer holds third-party jars in /opt/echoack/lib")
    elif max(dependency_layers) > code:
        problems.append("a third-party jar layer comes after the code layer: every code change would ship it")
    seen, twice = {}, []
    for i, _, files in rows:
        for f in sorted(files):
            if f.startswith("opt/echoack/"):
                if f in seen:
                    twice.append(f"{f} (layers {seen[f]} and {i})")
                seen[f] = i
    if twice:
        problems.append(f"{len(twice)} files are shipped twice, in two layers: {', '.join(twice[:3])}"
                        f"{' ...' if len(twice) > 3 else ''}")
    shipped = sum(size for i, size, _ in rows if i >= code)   # a code change rebuilds these layers
    if shipped > args.max_code_bytes:
        problems.append(f"a code change ships {human(shipped)} (the code layer and those above it), "
                        f"more than {human(args.max_code_bytes)}")
    if problems:
        sys.exit("; ".join(problems))

    dependency_bytes = sum(rows[i][1] for i in dependency_layers)
    dependency_jars = sum(1 for f, i in seen.items() if i in dependency_layers and f.endswith(".jar"))
    code_jars = sum(1 for f in code_files if CODE.match(f))
    print(f"third-party jars {human(dependency_bytes)} ({dependency_jars} jars, {len(dependency_layers)} layer"
          f"{'s' if len(dependency_layers) != 1 else ''}) below echoack's code {human(rows[code][1])} "
          f"({code_jars} jars); a code change ships {human(shipped)} (limit {human(args.max_code_bytes)}); "
          f"image {human(sum(size for _, size, _ in rows))}")


if __name__ == "__main__":
    main()
