"""pygambit's gnm_solve (default arguments) on one .nfg file: its equilibria, in the order it
returns them, as a JSON list of profiles (per player, each strategy's probability as a float).

Usage: python pygambit_gnm.py GAME.nfg OUT.json
"""
import json
import sys

import pygambit as gbt

game = gbt.read_nfg(sys.argv[1])
result = gbt.nash.gnm_solve(game)
profiles = [
    [[float(eq[s]) for s in player.strategies] for player in game.players]
    for eq in result.equilibria
]
with open(sys.argv[2], "w") as out:
    json.dump(
        {
            "call": "pygambit.nash.gnm_solve(game)",
            "pygambit": gbt.__version__,
            "game": sys.argv[1].rsplit("/", 1)[-1],
            "equilibria": profiles,
        },
        out,
        indent=1,
    )
    out.write("\n")
print(len(profiles))
