"""Expected logit QRE profiles for tests/logit.rs, computed by pygambit (Gambit's own tracer).

Made with:
    python3 -m venv /tmp/pg && /tmp/pg/bin/pip install pygambit     # pygambit 16.7.0
    /tmp/pg/bin/python tests/data/logit/make_expected.py ../shared/games/gambit > tests/data/logit/expected.json

For each game and each λ in LAMBDAS it records the profile that
`pygambit.qre.logit_solve_lambda(game, lambdas)` returns: the point of the principal branch of
the logit QRE correspondence at that λ. Where Gambit's tracer stops short of λ (it does on
2x2x2.nfg, whose branch meets a pitchfork bifurcation at λ ≈ 0.5968) the case is listed under
"not_reached" instead; tests/logit.rs checks that game against a closed form. The games are read from the Gambit corpus folder given
as the argument (GPL data, not copied into this repository); only the numbers are stored here.
"""

import json
import sys

import pygambit as gbt
from pygambit import qre

GAMES = [
    "2x2.nfg",
    "2x2x2.nfg",
    "3x3x3.nfg",
    "5x4x3.nfg",
    "8x8.nfg",
    "e04.nfg",
    "pd.nfg",
    "yamamoto.nfg",
    "oneill.nfg",
    "2x2x2x2x2.nfg",
    "loopback.nfg",
]
LAMBDAS = [1.0, 2.0, 5.0]


def main(corpus):
    out = {
        "generator": "tests/data/logit/make_expected.py",
        "method": "pygambit.qre.logit_solve_lambda(game, [1.0, 2.0, 5.0]) (strategic form)",
        "pygambit_version": gbt.__version__,
        "games": {},
        "not_reached": [],
    }
    for name in GAMES:
        game = gbt.read_nfg(f"{corpus}/{name}")
        cases = []
        points = qre.logit_solve_lambda(game, LAMBDAS)
        assert len(points) == len(LAMBDAS), name
        for lam, point in zip(LAMBDAS, points):
            if abs(point.lam - lam) > 1e-6:
                # Gambit's tracer stopped early (at a bifurcation of a non-generic game) and
                # returned its last point instead: no reference value for this λ.
                out["not_reached"].append({"game": name, "lambda": lam, "gambit_stopped_at": point.lam})
                continue
            profile = point.profile
            cases.append(
                {
                    "lambda": lam,
                    "gambit_lambda": float(point.lam),
                    "profile": [[float(profile[s]) for s in player.strategies] for player in game.players],
                }
            )
        if cases:
            out["games"][name] = cases
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
