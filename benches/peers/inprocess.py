"""patron's Python package against pygambit, Nashpy and QuantEcon, all called from one
interpreter on the same seeded games (the games of driver.py), plus each package's import time.
Run through inprocess.sh, which installs `./python` into the pinned peers' venv.

  python inprocess.py --workdir DIR [--quick]

Every cell follows peers.py's protocol for both sides: an untimed warm-up call, then at least
REPS timed calls and more until they add up to MIN_TOTAL seconds (at most MAX_RUNS, none started
past BUDGET). patron's calls include everything a Python user pays: argument passing, the
solver, certification, and building the result objects (Fractions). Each cell also checks that
the peer's first equilibrium matches one of patron's within TOL. Import time: the median over
IMPORT_RUNS fresh interpreters of `import X` alone (`-X importtime` is not used: it slows imports).
"""

import argparse
import datetime
import os
import platform
import signal
import statistics
import subprocess
import sys
import time

from games import random_bimatrix, write_nfg
from peers import SOLVERS, BUDGET, MAX_RUNS, MIN_TOTAL

import warnings

import patron

# Peers' numerical warnings (nashpy's tableau overflows) would drown the tables.
warnings.simplefilter("ignore", RuntimeWarning)

REPS = 5
TOL = 1e-6
IMPORT_RUNS = 7
SEEDS = {"enummixed": 1000, "lcp": 2000, "lp": 3000, "logit": 4000}
LOGIT_LAMBDA = 0.01
# task: (sizes, quick sizes, zero-sum, patron call, [(peer lib, peer task)])
TASKS = {
    "enummixed": ([4, 8, 12], [4, 8], False, lambda g: patron.nash.enummixed_solve(g),
                  [("pygambit", "enummixed"), ("pygambit", "enummixed-float"), ("nashpy", "vertex"),
                   ("nashpy", "support"), ("quantecon", "vertex")]),
    "lcp": ([10, 50, 100, 200], [10, 50], False, lambda g: patron.nash.lcp_solve(g),
            [("pygambit", "lcp"), ("pygambit", "lcp-float"), ("nashpy", "lh"), ("quantecon", "lh")]),
    "lp": ([10, 100, 500], [10, 100], True, lambda g: patron.nash.lp_solve(g),
           [("pygambit", "lp"), ("pygambit", "lp-float"), ("nashpy", "lp")]),
    "logit": ([4, 8, 16], [4], False, lambda g: patron.nash.logit_solve(g, LOGIT_LAMBDA),
              [("pygambit", "logit")]),
}
# A peer cell slower than this is not repeated at larger sizes.
SLOW = 20.0
# A peer cell is stopped after this many seconds (as driver.py's TIMEOUT), by SIGALRM.
TIMEOUT = 40.0


class CellTimeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise CellTimeout()


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
    for name, (sizes, quick, zero_sum, ours, peers) in TASKS.items():
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
            our_time, result = timed(lambda: ours(game))
            ours_found = [[[float(x) for x in row] for row in e.profile] for e in result.equilibria]
            for lib, task in peers:
                label = f"{lib} {task}"
                if label in too_slow:
                    print(f"| {n}x{n} | {label} | {fmt(our_time)} | skipped (slow at a smaller size) | | |")
                    continue
                load, solve = SOLVERS[lib](task, LOGIT_LAMBDA)
                peer_game = load(path)
                signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
                try:
                    peer_time, found = timed(lambda: solve(peer_game))
                except CellTimeout:
                    too_slow.add(label)
                    print(f"| {n}x{n} | {label} | {fmt(our_time)} | timeout > {TIMEOUT:.0f} s | | |", flush=True)
                    continue
                except Exception as e:  # a peer's failure is a result to report
                    print(f"| {n}x{n} | {label} | {fmt(our_time)} | error: {type(e).__name__} | | |")
                    continue
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if peer_time * REPS > SLOW:
                    too_slow.add(label)
                check = "=" if found and any(close(found[0], o) for o in ours_found) else "differs"
                print(f"| {n}x{n} | {label} | {fmt(our_time)} | {fmt(peer_time)} | "
                      f"{our_time / peer_time:.3g} | {check} |", flush=True)
        print()
    print(f"Total run time: {time.time() - started:.0f} s.")


if __name__ == "__main__":
    main()
