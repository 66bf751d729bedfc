"""One peer library solving a list of game files:
`python peers.py [--raw] LIB TASK REPS [--lambda L] FILE...`.

For each file it reads the game (untimed, as patron's harness does) and runs the solver once untimed (numba compiles quantecon's functions on first
call; imports are paid once per process), then at least REPS timed runs and more until they add
up to MIN_TOTAL seconds (at most MAX_RUNS), starting none once they pass BUDGET seconds; a
warm-up run of at least SLOW seconds is the one timed run: the protocol of patron's harness,
examples/peer_timing.rs. It prints one JSON line per file, as soon as that file is done,
so the driver can time out a slow cell without losing the ones before it:
  {"file": ..., "runs": k, "median_s": t, "equilibria": [[[x...], [y...]], ...]}
Behaviour profiles (trees) are flattened per information set, as patron's harness prints them.

Each task is a pair (call, convert): `call(game)` is the library's own call, returning what it
returns (pygambit's result objects, Nashpy's and QuantEcon's numpy arrays); `convert(game,
answer)` turns that into plain lists of floats to compare. The timed call is both by default
(driver.py compares against patron's harness, which prints floats); with `--raw` (inprocess.py,
patron's Python package against the peers) the timed call is `call` alone and the conversion runs
once afterwards, untimed.
"""

import json
import statistics
import sys
import time

from games import read_bimatrix

BUDGET = 10.0
MIN_TOTAL = 0.2
SLOW = 1.0
MAX_RUNS = 10_000


def profile_of(game, eq):
    return [[float(eq[s]) for s in p.strategies] for p in game.players]


def behaviour_of(game, eq):
    return [[float(eq[a]) for a in i.actions] for p in game.players for i in p.infosets]


def pygambit_solver(task, lam):
    import pygambit as gbt

    def load(path):
        return gbt.read_efg(path) if path.endswith(".efg") else gbt.read_nfg(path)

    def nash(solve, of=profile_of, **kw):
        return (lambda g: solve(g, **kw), lambda g, result: [of(g, e) for e in result.equilibria])

    def logit(g):
        result = gbt.qre.logit_solve_lambda(g, lam=lam, use_strategic=True)
        return result[0] if isinstance(result, list) else result

    def tree_logit(g):
        result = gbt.qre.logit_solve_lambda(g, lam=[lam], use_strategic=False, first_step=0.03,
                                            max_accel=1.1)[0]
        if abs(float(result.lam) - lam) > 1e-6:  # its branch turned back before lam
            raise ValueError(f"pygambit returned lambda = {float(result.lam):.6g}, not {lam:g}")
        return result

    def tree_logit_profile(g, result):
        # As make.py: in pygambit 16.7 the result's .profile raises, so the flat action vector
        # (players, then information sets, then actions) is read by index.
        flat = iter([float(result[k]) for k in range(len(result))])
        return [[[next(flat) for _ in i.actions] for p in g.players for i in p.infosets]]

    return load, {
        "enummixed": nash(gbt.nash.enummixed_solve, rational=True),
        "enummixed-float": nash(gbt.nash.enummixed_solve, rational=False),
        "lcp": nash(gbt.nash.lcp_solve, rational=True, use_strategic=True, stop_after=1),
        "lcp-float": nash(gbt.nash.lcp_solve, rational=False, use_strategic=True, stop_after=1),
        "lp": nash(gbt.nash.lp_solve, rational=True, use_strategic=True),
        "lp-float": nash(gbt.nash.lp_solve, rational=False, use_strategic=True),
        "logit": (logit, lambda g, result: [profile_of(g, result.profile)]),
        "tree-logit": (tree_logit, tree_logit_profile),
        "seqlcp": nash(gbt.nash.lcp_solve, of=behaviour_of, rational=True),
        "enumpoly": nash(gbt.nash.enumpoly_solve, use_strategic=True),
        # The calls of expected-approx/make.py: centroid starts, Gambit's defaults.
        "simpdiv": (lambda g: gbt.nash.simpdiv_solve(g.mixed_strategy_profile(rational=True)),
                    lambda g, result: [profile_of(g, e) for e in result.equilibria]),
        "liap": (lambda g: gbt.nash.liap_solve(g.mixed_strategy_profile(), maxregret=1e-4, maxiter=1000),
                 lambda g, result: [profile_of(g, e) for e in result.equilibria]),
        # Gambit's default perturbation (1 on each player's first strategy) and settings.
        "gnm": nash(gbt.nash.gnm_solve, end_lambda=-10, steps=100, local_newton_interval=3,
                    local_newton_maxits=10),
        "ipa": nash(gbt.nash.ipa_solve),
    }[task]


def plain(pair):
    return [[float(v) for v in pair[0]], [float(v) for v in pair[1]]]


def plain_all(_game, pairs):
    return [plain(e) for e in pairs]


def plain_one(_game, pair):
    return [plain(pair)]


def nashpy_solver(task, _lam):
    import nashpy
    import numpy as np

    def load(path):
        a, b = read_bimatrix(path)
        return nashpy.Game(np.array(a, dtype=float), np.array(b, dtype=float))

    return load, {
        # Nashpy's enumerations are generators: list() runs them to the end.
        "vertex": (lambda g: list(g.vertex_enumeration()), plain_all),
        "support": (lambda g: list(g.support_enumeration()), plain_all),
        "lh": (lambda g: g.lemke_howson(initial_dropped_label=0), plain_one),
        "lp": (lambda g: g.linear_program(), plain_one),
    }[task]


def quantecon_solver(task, _lam):
    import numpy as np
    from quantecon.game_theory import NormalFormGame, Player, lemke_howson, vertex_enumeration

    def load(path):
        a, b = read_bimatrix(path)
        return NormalFormGame((Player(np.array(a, dtype=float)), Player(np.array(b, dtype=float).T)))

    solver = {
        "vertex": (lambda g: vertex_enumeration(g), plain_all),
        "lh": (lambda g: lemke_howson(g, init_pivot=0), plain_one),
    }[task]
    # numba compiles on the first call, for seconds (vertex_enumeration's is not cached on
    # disk): compiled here on a 2x2 game of the same types, or a file's warm-up run would be the
    # compilation and, being over SLOW, its only timed run.
    eye = np.array([[1.0, 0.0], [0.0, 1.0]])
    solver[0](NormalFormGame((Player(eye), Player(eye))))
    return load, solver


SOLVERS = {"pygambit": pygambit_solver, "nashpy": nashpy_solver, "quantecon": quantecon_solver}


def main():
    args = sys.argv[1:]
    raw = args[:1] == ["--raw"]
    if raw:
        args = args[1:]
    lib, task, reps = args[0], args[1], int(args[2])
    lam = None
    files = args[3:]
    if files and files[0] == "--lambda":
        lam, files = float(files[1]), files[2:]
    load, (call, convert) = SOLVERS[lib](task, lam)
    solve = call if raw else (lambda g: convert(g, call(g)))
    for path in files:
        try:
            game = load(path)
            start = time.perf_counter()
            found = solve(game)
            warm_up = time.perf_counter() - start
            times = [warm_up] if warm_up >= SLOW else []  # a slow run is its own measure
            total = 0.0
            while (warm_up < SLOW and total < BUDGET and len(times) < MAX_RUNS
                   and (len(times) < reps or total < MIN_TOTAL)):
                start = time.perf_counter()
                found = solve(game)
                times.append(time.perf_counter() - start)
                total += times[-1]
            line = {"file": path, "runs": len(times), "median_s": statistics.median(times),
                    "equilibria": convert(game, found) if raw else found}
        except Exception as e:  # a peer's failure is a result to report, not a crash
            line = {"file": path, "error": f"{type(e).__name__}: {e}"[:200]}
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
