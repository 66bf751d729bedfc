"""Generic neighbours of the corpus games with payoff ties, and pygambit's gnm and ipa on them.

For every corpus game that tests/gnm.rs or tests/tree_gnm.rs lists as `Why::Degenerate` (and
bcp2.efg, listed `Why::TieAtFirstEvent`: payoff ties met at the path's first event), and
every seed in SEEDS, this writes `<out-dir>/<stem>-<ext>-s<seed>.nfg`: the game's strategic
form (for a tree, its reduced strategic form, as pygambit's gnm_solve and ipa_solve use it,
strategies in pygambit's order and with its labels) with each payoff u moved to

    round_D(u + x * epsilon * range),  x uniform in [-1, 1) from random.Random("<file> <seed>"),

where range = max payoff - min payoff of the game and round_D rounds to D decimal places, D
three digits below epsilon * range (so every payoff is an exact decimal, moved by at most
epsilon * range + 10^-D). Beside it goes `<file>.json`: pygambit's gnm_solve (with
expected-approx/make.py's arguments) and ipa_solve (default perturbation) on that file, in the
shape of expected-approx's answers (`solvers.<name>.equilibria[].profile`), with the command
line, the date, the pygambit version and the seconds taken.

Run inside this folder (the corpus is read in place, never copied):

    /work/main/target/peers-venv/bin/python make.py --corpus /work/shared/games/gambit \
        --epsilon 1/1000000 --out-dir eps-1e-6
    /work/main/target/peers-venv/bin/python make.py --corpus /work/shared/games/gambit \
        --epsilon 1/1000 --out-dir eps-1e-3
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
import random
import shlex
import sys
import time
from fractions import Fraction
from pathlib import Path

import pygambit as gbt

HERE = Path(__file__).resolve().parent

# tests/gnm.rs EXCEPTIONS and tests/tree_gnm.rs GNM_EXCEPTIONS with Why::Degenerate (and one
# with Why::TieAtFirstEvent).
STRATEGIC = ["sww1.nfg", "coord4.nfg", "coordination_4x4_outcome.nfg",
             "coordination_4x4_payoff.nfg", "csg1.nfg", "deg1.nfg", "deg2.nfg",
             "loopback.nfg", "winkels.nfg"]
TREES = ["badgame1.efg", "badgame2.efg", "km1.efg", "wilson1.efg", "bhg1.efg", "centcs6.efg",
         "e13.efg", "e17.efg", "hs1.efg", "work1.efg", "w_ex2.efg",
         # tests/tree_gnm.rs's Why::TieAtFirstEvent: payoff ties met at the path's first event
         "bcp2.efg"]
SEEDS = [1, 2, 3]
GNM_ARGS = {"end_lambda": -10.0, "steps": 100, "local_newton_interval": 3,
            "local_newton_maxits": 10}
TIMEOUT = 20.0


def read(path: Path):
    return gbt.read_efg(str(path)) if path.suffix == ".efg" else gbt.read_nfg(str(path))


def strategic_payoffs(game):
    """Per pure profile (player 1's strategy changing fastest), every player's exact payoff."""
    players = list(game.players)
    strategies = [list(p.strategies) for p in players]
    table = []
    for rev in itertools.product(*[range(len(s)) for s in reversed(strategies)]):
        pure = list(reversed(rev))
        prof = game.mixed_strategy_profile(rational=True)
        for p, ss in enumerate(strategies):
            for k, s in enumerate(ss):
                prof[s] = Fraction(int(k == pure[p]))
        table.append([Fraction(prof.payoff(p)) for p in players])
    return players, strategies, table


def decimal(q: Fraction, digits: int) -> str:
    """q, a multiple of 10^-digits, as exact decimal text."""
    n = q * 10**digits
    assert n.denominator == 1
    sign, n = ("-" if n < 0 else ""), abs(n.numerator)
    whole, frac = divmod(n, 10**digits)
    text = f"{whole}.{frac:0{digits}d}".rstrip("0").rstrip(".")
    return sign + text


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def neighbour(name: str, game, seed: int, epsilon: Fraction) -> tuple[str, dict]:
    players, strategies, table = strategic_payoffs(game)
    values = [u for row in table for u in row]
    rng_width = max(values) - min(values)
    scale = epsilon * rng_width
    digits = max(0, 3 - math.floor(math.log10(scale)))  # 10^-digits <= scale / 1000
    rng = random.Random(f"{name} {seed}")
    out = []
    for row in table:
        out.append([Fraction(round((u + Fraction(rng.uniform(-1.0, 1.0)) * scale)
                                   * 10**digits), 10**digits) for u in row])
    moved = max(abs(a - b) for r, s in zip(table, out) for a, b in zip(r, s))
    head = (f"NFG 1 R {quote(f'{name}, generic neighbour seed {seed}')} "
            f"{{ {' '.join(quote(p.label) for p in players)} }}\n\n{{\n")
    body = "".join("{ " + " ".join(quote(s.label) for s in ss) + " }\n" for ss in strategies)
    payoffs = "\n".join(" ".join(decimal(u, digits) for u in row) for row in out)
    meta = {"range": str(rng_width), "epsilon": str(epsilon), "decimal_places": digits,
            "max_move": str(moved), "max_move_over_range": float(moved / rng_width)}
    return head + body + "}\n\n" + payoffs + "\n", meta


def mixed_eq(game, prof):
    return {"profile": [[float(prof[s]) for s in p.strategies] for p in game.players],
            "max_regret": float(prof.max_regret())}


def run(method: str, path: str, queue):
    game = gbt.read_nfg(path)
    if method == "gnm":
        res = gbt.nash.gnm_solve(game, **GNM_ARGS)
    else:
        res = gbt.nash.ipa_solve(game)
    queue.put([mixed_eq(game, e) for e in res.equilibria])


def solve(method: str, path: Path) -> dict:
    call = ("pygambit.nash.gnm_solve(game, end_lambda=-10.0, steps=100, "
            "local_newton_interval=3, local_newton_maxits=10)" if method == "gnm"
            else "pygambit.nash.ipa_solve(game)")
    entry = {"method": call, "perturbation": "default (1 on each player's first strategy)"}
    queue = multiprocessing.Queue()
    t0 = time.time()
    child = multiprocessing.Process(target=run, args=(method, str(path), queue))
    child.start()
    child.join(TIMEOUT)
    if child.is_alive():
        child.kill()
        entry["status"] = "timeout"
    elif child.exitcode != 0:
        entry["status"] = "error"
    else:
        eqs = queue.get()
        entry.update({"status": "ok", "count": len(eqs), "equilibria": eqs})
    entry["seconds"] = round(time.time() - t0, 3)
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="Gambit's example games")
    ap.add_argument("--epsilon", type=Fraction, default=Fraction(1, 10**6),
                    help="largest move of a payoff, as a fraction of the payoff range")
    ap.add_argument("--out-dir", type=Path, required=True,
                    help="where the neighbours and answers go (eps-1e-6/ for --epsilon 1/1000000)")
    ap.add_argument("--games", nargs="+", default=STRATEGIC + TREES, metavar="FILE",
                    help="only these corpus games (default: every one listed above)")
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    command = "python " + shlex.join([str(Path(sys.argv[0])), *sys.argv[1:]])
    for name in args.games:
        game = read(args.corpus / name)
        stem, ext = name.rsplit(".", 1)
        for seed in SEEDS:
            text, meta = neighbour(name, game, seed, args.epsilon)
            out = args.out_dir / f"{stem}-{ext}-s{seed}.nfg"
            out.write_text(text)
            record = {"file": out.name, "neighbour_of": name, "seed": seed, **meta,
                      "generator": {"script": "tests/data/games/generic-neighbours/make.py",
                                    "command_line": command,
                                    "run": time.strftime("%Y-%m-%d", time.gmtime())},
                      "pygambit_version": gbt.__version__,
                      "solvers": {m: solve(m, out) for m in ("gnm", "ipa")}}
            (args.out_dir / f"{out.name}.json").write_text(json.dumps(record) + "\n")
            counts = {m: b.get("count", b["status"]) for m, b in record["solvers"].items()}
            print(f"{out.name:40s} {counts}", flush=True)


if __name__ == "__main__":
    main()
