"""patron's Python package against pygambit, Nashpy and QuantEcon, each called in-process from
the same Python on the same seeded games (the games of driver.py), plus each package's import time.
Run through inprocess.sh, which installs `./python` into the pinned peers' venv.

  python inprocess.py --workdir DIR [--quick]

Every cell follows peers.py's protocol for both sides: an untimed warm-up call, then at least
REPS timed calls and more until they add up to MIN_TOTAL seconds (at most MAX_RUNS, none started
past BUDGET). patron's timed call is `patron.nash.X(game)` plus `eq.as_array()` for every
equilibrium: everything a Python user pays (argument passing, the solver, certification, the
result objects) and the same information the peers return (Nashpy's and QuantEcon's float arrays;
pygambit's profiles). A peer's timed call is its own call alone (`peers.py --raw`): its result
objects or arrays, not converted. Each cell checks that the peer's first equilibrium matches one
of patron's within TOL. A cell under FAST on both sides is timed ROUNDS times, alternating
patron's call and the peer's worker, and each side keeps its least median.

Every peer cell runs in a worker process of this same interpreter (`peers.py --raw`, one file),
killed after TIMEOUT seconds: a C++ solver (pygambit's) cannot be interrupted from Python, so a
process is the only budget that always ends. A peer slower than SLOW at one size (or timed out)
is skipped at the larger sizes, and the table says so.

Import time: the median over IMPORT_RUNS fresh interpreters of `import X` alone (`-X importtime`
is not used: it slows imports).
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

from games import random_bimatrix, write_nfg
from peers import BUDGET, MAX_RUNS, MIN_TOTAL

import patron

REPS = 5
TOL = 1e-6
IMPORT_RUNS = 7
SEEDS = {"enummixed": 1000, "lcp": 2000, "lp": 3000, "logit": 4000}
LOGIT_LAMBDA = 0.01
# task: (sizes, quick sizes, zero-sum, patron's solver, [(peer lib, peer task)])
TASKS = {
    "enummixed": ([4, 8, 12], [4, 8], False, patron.nash.enummixed_solve,
                  [("pygambit", "enummixed"), ("pygambit", "enummixed-float"), ("nashpy", "vertex"),
                   ("nashpy", "support"), ("quantecon", "vertex")]),
    "lcp": ([10, 50, 100, 200], [10, 50], False, patron.nash.lcp_solve,
            [("pygambit", "lcp"), ("pygambit", "lcp-float"), ("nashpy", "lh"), ("quantecon", "lh")]),
    "lp": ([10, 100, 500], [10, 100], True, patron.nash.lp_solve,
           [("pygambit", "lp"), ("pygambit", "lp-float"), ("nashpy", "lp")]),
    "logit": ([4, 8, 16], [4], False, lambda g: patron.nash.logit_solve(g, LOGIT_LAMBDA),
              [("pygambit", "logit")]),
}
# A peer cell slower than this (median × REPS) is not repeated at larger sizes.
SLOW = 20.0
# Cells under FAST on both sides are timed ROUNDS times, alternating patron and the peer, and
# each side keeps its least median (as run.sh's protocol): on a shared machine the load moves
# between one side's timing and the other's, and the least of three alternating medians is the
# time least inflated by it.
FAST = 0.01
ROUNDS = 3
# A peer cell's worker process is killed after this many seconds (as driver.py's TIMEOUT), plus
# IMPORT_ALLOWANCE for importing the peer (seconds on a loaded machine).
TIMEOUT = 40.0
IMPORT_ALLOWANCE = 20.0
HERE = os.path.dirname(os.path.abspath(__file__))


def timed(call):
    """Median seconds of call() after one warm-up, by peers.py's protocol; and its last answer."""
    found = call()
    times, total = [], 0.0
    while total < BUDGET and len(times) < MAX_RUNS and (len(times) < REPS or total < MIN_TOTAL):
        start = time.perf_counter()
        found = call()
        times.append(time.perf_counter() - start)
        total += times[-1]
    return statistics.median(times), found


def peer_cell(lib, task, path):
    """One peer cell in a worker process of this interpreter: (median seconds, equilibria), or
    the reason there is none ("timeout > 40 s", "error: ...")."""
    command = [sys.executable, os.path.join(HERE, "peers.py"), "--raw", lib, task, str(REPS),
               "--lambda", str(LOGIT_LAMBDA), path]
    # Peers' numerical warnings (nashpy's tableau overflows) would drown the worker's output.
    env = dict(os.environ, PYTHONWARNINGS="ignore::RuntimeWarning")
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=env,
                             timeout=TIMEOUT + IMPORT_ALLOWANCE, cwd=HERE)
    except subprocess.TimeoutExpired:  # subprocess.run kills the worker
        return f"timeout > {TIMEOUT:.0f} s"
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return f"error: worker exited {out.returncode}: {out.stderr.strip()[-120:]}"
    cell = json.loads(lines[-1])
    if "error" in cell:
        return f"error: {cell['error'][:80]}"
    return cell["median_s"], cell["equilibria"]


def arrays(result):
    """The float arrays of every equilibrium (what Nashpy and QuantEcon return)."""
    return [e.as_array() for e in result.equilibria]


def close(a, b):
    return all(abs(x - y) <= TOL for ra, rb in zip(a, b) for x, y in zip(ra, rb))


def import_time(module):
    """Median seconds of `import module` in fresh interpreters (the import alone)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = []
    for _ in range(IMPORT_RUNS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        runs.append(float(out.stdout))
    return statistics.median(runs)


def fmt(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks to run")
    parser.add_argument("--no-imports", action="store_true", help="skip the import-time table")
    args = parser.parse_args()
    started = time.time()
    print("## In-process Python (patron's package and the peers in one interpreter)\n")
    print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"- Python {platform.python_version()}; patron {patron.__version__} (pip install ./python, release)")
    print(f"- load average at the start: {os.getloadavg()[0]:.1f} (the machine is shared)\n")
    if not args.no_imports:
        print("| import | median of 7 fresh interpreters |\n|---|---|")
        for module in ("json", "patron", "pygambit", "nashpy", "quantecon.game_theory"):
            print(f"| `import {module}` | {fmt(import_time(module))} |", flush=True)
        print()
    for name, (sizes, quick, zero_sum, solve, peers) in TASKS.items():
        if name not in args.tasks.split(","):
            continue
        print(f"### {name}\n\n| game | peer | patron | peer time | patron/peer | check |\n|---|---|---|---|---|---|")
        too_slow = set()
        for n in (quick if args.quick else sizes):
            seed = SEEDS[name] + n
            a, b = random_bimatrix(n, seed, zero_sum)
            path = os.path.join(args.workdir, f"{name}-{n}.nfg")
            write_nfg(path, a, b, f"{name} {n}x{n} seed {seed}")
            game = patron.read_game(path)
            our_time, _ = timed(lambda: arrays(solve(game)))
            ours_found = [[[float(x) for x in row] for row in e.profile] for e in solve(game).equilibria]
            for lib, task in peers:
                label = f"{lib} {task}"
                if label in too_slow:
                    print(f"| {n}x{n} | {label} | {fmt(our_time)} | skipped (slow at a smaller size) | | |")
                    continue
                cell = peer_cell(lib, task, path)
                if isinstance(cell, str):
                    too_slow.add(label)
                    print(f"| {n}x{n} | {label} | {fmt(our_time)} | {cell} | | |", flush=True)
                    continue
                peer_time, found = cell
                mine = our_time
                if mine < FAST and peer_time < FAST:
                    for _ in range(ROUNDS - 1):
                        mine = min(mine, timed(lambda: arrays(solve(game)))[0])
                        again = peer_cell(lib, task, path)
                        if not isinstance(again, str):
                            peer_time = min(peer_time, again[0])
                if peer_time * REPS > SLOW:
                    too_slow.add(label)
                check = "=" if found and any(close(found[0], o) for o in ours_found) else "differs"
                print(f"| {n}x{n} | {label} | {fmt(mine)} | {fmt(peer_time)} | "
                      f"{mine / peer_time:.3g} | {check} |", flush=True)
        print()
    print(f"Total run time: {time.time() - started:.0f} s.")


if __name__ == "__main__":
    main()
