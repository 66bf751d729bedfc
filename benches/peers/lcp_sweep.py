"""One equilibrium on random games: patron's `lcp` (dropped labels raced) against QuantEcon's
`lemke_howson` (its default `init_pivot=0`) on the 60 games of tests/lcp_random.rs.

  python lcp_sweep.py --patron-bin BIN --harness BIN --workdir DIR [--sizes 100,200] [--qe-seconds S]

The games are patron's `random_bimatrix(n, n, bound, seed)` (SplitMix64; n = 100, 200, 300,
400; payoffs 0..bound-1 for bound = 10, 100, 1000; seeds 0..4), rebuilt here bit for bit and
written as .nfg. Per game: patron's in-process solve (examples/peer_timing.rs `lcp`, median of
its runs), patron's whole process (`patron solve GAME --method lcp --format json`: read, solve,
certify, print; one run) and the pivots of the path that ended (from its JSON); QuantEcon's
in-process time (one warm run after a first call that pays numba's compilation) and its pivot
count. QuantEcon's `max_iter` is raised to what about --qe-seconds seconds allow (its pivot on
an n×n game costs about 1.5e-9·n² s here); a path it does not finish within that is reported
as "> pivots" — a lower bound on its time, not a failure of the comparison.
Per cell (n, bound) the table gives the median and worst game of each side.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

MASK = (1 << 64) - 1


class SplitMix64:
    """patron::game::random::SplitMix64 (Steele, Lea & Flood 2014)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def random_bimatrix(n, bound, seed):
    """A then B, each row by row, as patron's random_bimatrix(n, n, bound, seed)."""
    rng = SplitMix64(seed)
    a = [[rng.next_u64() % bound for _ in range(n)] for _ in range(n)]
    b = [[rng.next_u64() % bound for _ in range(n)] for _ in range(n)]
    return a, b


QE_CHILD = r"""
import json, sys, time
import numpy as np
from quantecon.game_theory import NormalFormGame, Player, lemke_howson
sys.path.insert(0, sys.argv[1])
from games import read_bimatrix
warm = NormalFormGame((Player(np.eye(2)), Player(np.eye(2))))
lemke_howson(warm, init_pivot=0)  # numba compiles (or loads its cache) here, untimed
for line in sys.stdin:
    path, max_iter = line.split()
    a, b = read_bimatrix(path)
    g = NormalFormGame((Player(np.array(a, dtype=float)), Player(np.array(b, dtype=float).T)))
    start = time.perf_counter()
    _, res = lemke_howson(g, init_pivot=0, max_iter=int(max_iter), full_output=True)
    print(json.dumps({"s": time.perf_counter() - start, "pivots": int(res.num_iter),
                      "ended": bool(res.converged)}), flush=True)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patron-bin", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--sizes", default="100,200,300,400")
    ap.add_argument("--bounds", default="10,100,1000")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--qe-seconds", type=float, default=30.0)
    ap.add_argument("--whole-only", action="store_true")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    from games import write_nfg

    if args.whole_only:
        whole_process(args, here)
        return
    qe = subprocess.Popen([sys.executable, "-c", QE_CHILD, here], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
    rows = []
    for n in map(int, args.sizes.split(",")):
        for bound in map(int, args.bounds.split(",")):
            cell = []
            for seed in range(args.seeds):
                path = os.path.join(args.workdir, f"lcp_{n}_{bound}_{seed}.nfg")
                a, b = random_bimatrix(n, bound, seed)
                write_nfg(path, a, b, f"random {n} {bound} {seed}")
                harness = json.loads(subprocess.run(
                    [args.harness, "lcp", path, "1"], capture_output=True, text=True
                ).stdout.strip().splitlines()[-1])
                start = time.perf_counter()
                out = subprocess.run([args.patron_bin, "solve", path, "--method", "lcp",
                                      "--format", "json"], capture_output=True, text=True)
                whole = time.perf_counter() - start
                solved = json.loads(out.stdout)
                ended = [l for l in solved["labels"] if l["ended"]]
                max_iter = int(args.qe_seconds / (1.5e-9 * n * n))
                qe.stdin.write(f"{path} {max_iter}\n")
                qe.stdin.flush()
                theirs = json.loads(qe.stdout.readline())
                game = {"n": n, "bound": bound, "seed": seed,
                        "patron_s": harness["median_s"], "patron_whole_s": whole,
                        "patron_pivots": ended[0]["pivots"] if ended else None,
                        "patron_label": ended[0]["label"] if ended else None,
                        "patron_labels_followed": len(solved["labels"]),
                        "qe_s": theirs["s"], "qe_pivots": theirs["pivots"],
                        "qe_ended": theirs["ended"]}
                print(json.dumps(game), flush=True)
                cell.append(game)
            rows.append(cell)
    qe.stdin.close()
    qe.wait()

    def ms(s):
        return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"

    print("\n| n | payoffs | patron median | patron worst | whole process worst | "
          "QuantEcon median | QuantEcon worst | patron pivots (median / max) | "
          "QuantEcon pivots (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cell in rows:
        n, bound = cell[0]["n"], cell[0]["bound"]
        ours = [g["patron_s"] for g in cell]
        qe_t = [g["qe_s"] for g in cell]
        unfinished = [g for g in cell if not g["qe_ended"]]
        qe_worst = (f"> {ms(max(qe_t))} ({len(unfinished)} not ended)" if unfinished
                    else ms(max(qe_t)))
        qe_piv = [g["qe_pivots"] for g in cell]
        pp = [g["patron_pivots"] for g in cell]
        mark = "> " if unfinished else ""
        print(f"| {n} | 0..{bound - 1} | {ms(statistics.median(ours))} | {ms(max(ours))} | "
              f"{ms(max(g['patron_whole_s'] for g in cell))} | "
              f"{ms(statistics.median(qe_t))} | {qe_worst} | "
              f"{int(statistics.median(pp))} / {max(pp)} | "
              f"{int(statistics.median(qe_piv))} / {mark}{max(qe_piv)} |")
    whole_process(args, here)


PYGAMBIT_FLOAT = r"""
import sys, time, pygambit as g
game = g.read_nfg(sys.argv[1])
g.nash.lcp_solve(game, rational=False, use_strategic=True, stop_after=1)  # warm
start = time.perf_counter()
g.nash.lcp_solve(game, rational=False, use_strategic=True, stop_after=1)
print(time.perf_counter() - start)
"""


def whole_process(args, here):
    """The driver's lcp games (games.random_bimatrix(n, 2000 + n), payoffs 0..999) at 200 and
    400: `patron solve --method lcp` and `patron info` as whole processes (median of 5) against
    pygambit's in-process float lcp (one warm run; 120 s at most)."""
    from games import random_bimatrix as driver_game, write_nfg

    def median_process(cmd):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    print("\n| game | `patron solve --method lcp` (whole process) | `patron info` (whole process) "
          "| pygambit lcp-float (in process) | pygambit / patron |")
    print("|---|---|---|---|---|")
    for n in (200, 400):
        a, b = driver_game(n, 2000 + n)
        path = os.path.join(args.workdir, f"lcp-{n}x{n}.nfg")
        write_nfg(path, a, b, f"lcp {n}x{n} seed {2000 + n}")
        solve = median_process([args.patron_bin, "solve", path, "--method", "lcp"])
        info = median_process([args.patron_bin, "info", path])
        try:
            out = subprocess.run([sys.executable, "-c", PYGAMBIT_FLOAT, path],
                                 capture_output=True, text=True, timeout=120)
            theirs = float(out.stdout.strip().splitlines()[-1])
            shown, ratio = f"{theirs * 1e3:.1f} ms", f"{theirs / solve:.1f}"
        except (subprocess.TimeoutExpired, ValueError, IndexError):
            shown, ratio = "did not finish in 120 s", "—"
        print(f"| {n}x{n} seed {2000 + n} | {solve * 1e3:.1f} ms | {info * 1e3:.1f} ms | "
              f"{shown} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
