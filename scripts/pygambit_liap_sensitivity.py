"""How far pygambit's liap end points move when the centroid start moves by 1e-13.

The numbers quoted in tests/liap.rs and tests/liap_agent.rs (the reasons why some of
pygambit's liap answers cannot be reproduced within 1e-6 by any reimplementation that does
not repeat Gambit's floating-point operations in their order) come from this script.

For each listed corpus game, liap is run from the centroid and from the centroid with
player 1's first two strategies (liap) or the first two actions of player 1's first
information set (liap --agent) moved by +1e-13 and -1e-13, with the arguments of
expected-approx/make.py (maxregret=1e-4, maxiter=1000). It prints the largest change of any
probability of the end point for each move.

Usage (pygambit 16.7, e.g. the peers venv of benches/peers):
    python scripts/pygambit_liap_sensitivity.py /path/to/gambit/corpus
"""

import sys
from pathlib import Path

import pygambit as gbt

STRATEGIC = ["badgame2.efg", "e04.efg", "e04.nfg", "todd2.nfg", "vd.efg", "vd.nfg", "winkels.nfg"]
AGENT = ["2x2x2.efg", "sh3.efg", "vd.efg", "w_ex2.efg"]
MOVES = [1e-13, -1e-13]


def read(path: Path):
    return gbt.read_efg(str(path)) if path.suffix == ".efg" else gbt.read_nfg(str(path))


def largest_change(a, b):
    if not a or not b:
        return None
    return max(abs(x - y) for x, y in zip(a, b))


def strategic_end(game, eps):
    start = game.mixed_strategy_profile()
    first, second = list(list(game.players)[0].strategies)[:2]
    start[first] = start[first] + eps
    start[second] = start[second] - eps
    found = gbt.nash.liap_solve(start, maxregret=1e-4, maxiter=1000).equilibria
    return [float(p[s]) for p in found[:1] for pl in game.players for s in pl.strategies]


def agent_end(game, eps):
    start = game.mixed_behavior_profile()
    first, second = list(list(list(game.players)[0].infosets)[0].actions)[:2]
    start[first] = start[first] + eps
    start[second] = start[second] - eps
    found = gbt.nash.liap_agent_solve(start, maxregret=1e-4, maxiter=1000).equilibria
    return [
        float(p[a])
        for p in found[:1]
        for pl in game.players
        for infoset in pl.infosets
        for a in infoset.actions
    ]


def main(corpus: Path):
    for label, names, end in [("liap", STRATEGIC, strategic_end), ("liap --agent", AGENT, agent_end)]:
        for name in names:
            game = read(corpus / name)
            base = end(game, 0.0)
            moved = [largest_change(base, end(game, eps)) for eps in MOVES]
            print(f"{label:13s} {name:14s} " + "  ".join(f"{m:.2g}" for m in moved))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
