"""How many iterations ipa takes on random games: GameTracer's own code against patron's, and
against itself with one rounding changed. Shows whether patron's ipa does more or less work than
Gambit's in general, which one game cannot: the outer iteration is chaotic in the last bits of
its arithmetic, so two faithful implementations part on many games (on the bench game
random-6x6x6, seed 6001, GameTracer takes 515 iterations and patron 951).

  python ipa_paths.py --harness target/release/examples/peer_timing \
      [--draws 6,6,6:8001-8200 --draws 4,4,4:8301-8500] [--check 3] [--csv FILE]

It downloads pygambit 16.7.0's source distribution (pinned by its sha256) into --build-dir,
builds GameTracer's ipa from it with g++ twice, as it is and with one rounding changed (the
blend `zt = (1 − α)(zh + α/(1 − α)·z)` written `α·z + (1 − α)·zh`, the same number in exact
arithmetic), each behind ipa_paths.cc (a driver that runs the solve as pygambit's ipa_solve
does and counts its iterations from IPA's verbose trace), then counts patron's iterations with
gdb (work.py's `patron_work`, its iterations) on every draw. --check K
also counts pygambit's own iterations (gdb on its library, as work.py does) on the first K
draws of each size, to show the build reproduces pygambit. Prints a markdown summary per size;
--csv writes every draw's counts.

Needs g++, gdb and network access to PyPI (Debian's g++ and gdb packages). Nothing here is
timed, and nothing of Gambit's source is kept in the repository: it is read from the download.
"""

import argparse
import csv
import hashlib
import math
import os
import statistics
import subprocess
import sys
import tarfile
import urllib.request

from games import write_draws
from work import COUNTED, PYGAMBIT_ONCE, gdb_counts, patron_work

HERE = os.path.dirname(os.path.abspath(__file__))
SDIST = ("https://files.pythonhosted.org/packages/b3/64/a278de11850be755cde1a2c9eeb2e773e916d96ba"
         "fe0b271115ac582e9ad/pygambit-16.7.0.tar.gz")
SHA256 = "7dde3e0774885fd442643e3f7dbc8e697d4de52bc1ded4063fa68499a8f681b5"
GTRACER = ["cmatrix.cc", "gnmgame.cc", "nfgame.cc"]
BLEND = ("    zt = ym1;\n    zt *= alpha / (1 - alpha);\n    zt += zh;\n    zt *= (1 - alpha);\n")
BLEND_VARIANT = "    for (int i = 0; i < M; i++) {\n      zt[i] = ym1[i] * alpha + zh[i] * (1 - alpha);\n    }\n"
# patron's and the driver's limit: 100 runs of 100 iterations.
LIMIT = 10_000
TIMEOUT = 120.0


def source(build):
    """pygambit 16.7.0's unpacked source folder, downloaded once and checked."""
    archive = os.path.join(build, "pygambit-16.7.0.tar.gz")
    if not os.path.exists(archive):
        os.makedirs(build, exist_ok=True)
        urllib.request.urlretrieve(SDIST, archive)
    digest = hashlib.sha256(open(archive, "rb").read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{archive}: sha256 {digest}, expected {SHA256}")
    root = os.path.join(build, "pygambit-16.7.0")
    if not os.path.isdir(root):
        with tarfile.open(archive) as tar:
            tar.extractall(build, filter="data")
    return os.path.join(root, "src")


def compile_tracer(src, build):
    """The two drivers: GameTracer as it is, and with the blend's rounding changed."""
    gtracer = os.path.join(src, "solvers", "gtracer")
    ipa = open(os.path.join(gtracer, "ipa.cc")).read()
    if BLEND not in ipa:
        sys.exit("ipa.cc no longer has the blend this script changes; update BLEND")
    variant = os.path.join(build, "ipa_variant.cc")
    with open(variant, "w") as f:
        f.write(ipa.replace(BLEND, BLEND_VARIANT).replace('#include "gtracer.h"',
                                                          '#include "solvers/gtracer/gtracer.h"'))
    flags = ["g++", "-O2", "-std=c++17", "-I", src]
    objects = []
    for name in GTRACER:
        out = os.path.join(build, name.replace(".cc", ".o"))
        subprocess.run(flags + ["-c", os.path.join(gtracer, name), "-o", out], check=True)
        objects.append(out)
    drivers = {}
    for label, ipa_source in (("gametracer", os.path.join(gtracer, "ipa.cc")),
                              ("variant", variant)):
        binary = os.path.join(build, f"ipa_paths_{label}")
        subprocess.run(flags + [os.path.join(HERE, "ipa_paths.cc"), ipa_source, *objects,
                                "-o", binary], check=True)
        drivers[label] = binary
    return drivers


def tracer_iterations(binary, path):
    """Iterations of one driver on one game (LIMIT when it does not converge)."""
    try:
        out = subprocess.run([binary, path], capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return LIMIT
    words = out.stdout.split()
    return int(words[1]) if out.returncode == 0 and words[:1] == ["iterations"] else LIMIT


def patron_iterations(harness, path):
    """Iterations per solve of patron's ipa (LIMIT when it does not converge, None unknown)."""
    work = patron_work(harness, path, TIMEOUT)
    return None if work is None else min(LIMIT, round(work["iterations"]))


def pygambit_iterations(python, path):
    """pygambit's own iterations on one game, counted with gdb (None when unknown)."""
    name = COUNTED["iterations"][0]
    counts = gdb_counts([python, "-c", PYGAMBIT_ONCE, path], [name], TIMEOUT)
    return None if counts is None else counts[name]


def compare(rows, other):
    """One line: `other`'s iterations against GameTracer's on the draws where all converge."""
    both = [r for r in rows if max(r["gametracer"], r["variant"], r["patron"]) < LIMIT]
    same = sum(r[other] == r["gametracer"] for r in both)
    more = sum(r[other] > r["gametracer"] for r in both)
    logs = [math.log(r[other] / r["gametracer"]) for r in both]
    return (f"| {other} | {len(both)} | {same} | {more} | {len(both) - same - more} | "
            f"{statistics.mean(logs):+.3f} | {sum(r['gametracer'] for r in both)} | "
            f"{sum(r[other] for r in both)} |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--harness", required=True, help="patron's examples/peer_timing binary")
    p.add_argument("--draws", action="append",
                   help="SIZES:FIRST-LAST, e.g. 6,6,6:8001-8200 (repeatable; default that and "
                        "4,4,4:8301-8500)")
    p.add_argument("--build-dir", default=os.path.join(HERE, "..", "..", "target", "gametracer"))
    p.add_argument("--check", type=int, default=0,
                   help="count pygambit's own iterations on the first K draws of each size")
    p.add_argument("--csv", help="write every draw's counts here")
    args = p.parse_args()
    build = os.path.abspath(args.build_dir)
    drivers = compile_tracer(source(build), build)
    workdir = os.path.join(build, "draws")
    os.makedirs(workdir, exist_ok=True)
    lines, table = [], []
    for spec in args.draws or ["6,6,6:8001-8200", "4,4,4:8301-8500"]:
        label, files = write_draws(spec, workdir)
        rows, checked, agree = [], 0, 0
        for k, path in enumerate(files):
            print(f"ipa_paths: {os.path.basename(path)}", file=sys.stderr, flush=True)
            row = {"game": os.path.basename(path),
                   **{name: tracer_iterations(b, path) for name, b in drivers.items()},
                   "patron": patron_iterations(args.harness, path)}
            if k < args.check:
                row["pygambit"] = pygambit_iterations(sys.executable, path)
                checked += row["pygambit"] is not None
                agree += row["pygambit"] == row["gametracer"]
            rows.append(row)
        rows_known = [r for r in rows if r["patron"] is not None]
        not_converged = {name: sum(r[name] >= LIMIT for r in rows_known)
                         for name in ("gametracer", "variant", "patron")}
        lines += [f"#### ipa's iterations on random {label}", "",
                  f"- {len(rows)} draws, patron's count known on {len(rows_known)}; no convergence "
                  f"within {LIMIT} iterations: "
                  + ", ".join(f"{k} {v}" for k, v in not_converged.items()),
                  *([f"- the build reproduces pygambit's own count on {agree} of {checked} "
                     "draws counted"] if args.check else []), "",
                  "| against GameTracer | draws where all converge | same | more | fewer | "
                  "mean log ratio | GameTracer's sum | its sum |", "|---|---|---|---|---|---|---|---|",
                  compare(rows_known, "variant"), compare(rows_known, "patron"), ""]
        table += rows
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            out = csv.DictWriter(f, ["game", "gametracer", "variant", "patron", "pygambit"])
            out.writeheader()
            out.writerows(table)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
