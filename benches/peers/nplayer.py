"""The n-player cells of the peer comparison: patron's gnm, ipa, simpdiv and liap against
pygambit 16.7's solvers of the same names, called as shared/games/gambit/expected-approx/make.py
calls them (gnm and ipa: Gambit's default perturbation, 1 on each player's first strategy, and
its default settings; simpdiv and liap: the centroid start, liap with maxregret 1e-4 and 1000
iterations), on seeded random games with 3 and 4 players and on Gambit's example games with
3 or more players (the .nfg ones: patron's gnm and ipa do not take trees).

Each cell runs three child processes, each killed GRACE seconds after the wall-clock limit
(--peer-timeout, the driver's option): `patron solve FILE --method M --format json` (the whole process: start-up,
reading, solving, certifying, printing), patron's in-process harness (examples/peer_timing.rs:
the solver call with its certification, file reading excluded) and pygambit in a warm
interpreter (peers.py: the solver call alone). A process killed at the limit is reported as
"did not finish in N s", a bound on that side's time. Cells under FAST seconds on both sides
are timed in ROUNDS processes per side and keep each side's least median (driver.settle's rule).

The answers check: every equilibrium of both sides has its regret (largest gain from a pure
deviation, pygambit's MixedStrategyProfile.max_regret on the float profile, computed here and
not by either solver) divided by the payoff range; a side certifies when that is at most
CERTIFY (the rule of make.py's summary). gnm's two lists are compared as sets (every
equilibrium of each side within TOL[method] of one of the other's, max-norm); the other methods
compare their first equilibrium. liap stops at regret 1e-4 of the range, so its answers are
compared within 1e-4.

The tree-logit cells: the agent logit QRE in behaviour strategies at λ = TREE_LAMBDA on every
Gambit example tree, patron's `solve --method logit --lambda` against
pygambit.qre.logit_solve_lambda(game, lam, use_strategic=False) (make.py's call), profiles
compared within 1e-6 per action probability (a QRE is no Nash equilibrium: no regret column).
"""

import json
import os
import statistics
import subprocess
import sys
import time

import pygambit

from games import players_in_nfg, random_game, write_nfg_n

METHODS = ["gnm", "ipa", "simpdiv", "liap", "tree-logit"]
# Random games; the same four games for every method (seeds SEED, SEED + 1, ...).
SIZES = [[4, 4, 4], [6, 6, 6], [4, 4, 4, 4], [8, 8, 8]]
SEED = 6000
TOL = {"gnm": 1e-6, "ipa": 1e-6, "simpdiv": 1e-6, "liap": 1e-4, "tree-logit": 1e-6}
TREE_LAMBDA = 2.0
CERTIFY = 1e-6
GOAL = 10.0  # the goal: pygambit's time at least 10 times patron's
REPS = 5
SLOW = 1.0  # a run at least this long is timed once (peers.py and the harness do the same)
# Seconds a child process gets beyond the limit: for starting (a Python start-up took 10 s of
# wall time at load average 12 here), reading, and repeating calls under SLOW for up to 10 s.
# So a child killed at limit + GRACE had one call that ran longer than the limit.
GRACE = 30.0
FAST = 0.01
ROUNDS = 3
HERE = os.path.dirname(os.path.abspath(__file__))


def game_files(args, method):
    """The random games (written into the work folder) and the corpus's n-player .nfg files;
    for tree-logit, the corpus's trees."""
    corpus = (sorted(os.path.join(args.corpus, f) for f in os.listdir(args.corpus))
              if os.path.isdir(args.corpus) else [])
    if method == "tree-logit":
        trees = [f for f in corpus if f.endswith(".efg")]
        return trees[:2] if args.quick else trees
    sizes = SIZES[:2] if args.quick else SIZES
    files = []
    for k, counts in enumerate(sizes):
        name = "x".join(map(str, counts))
        path = os.path.join(args.workdir, f"random-{name}.nfg")
        write_nfg_n(path, counts, random_game(counts, SEED + k), f"random {name} seed {SEED + k}")
        files.append(path)
    corpus = [f for f in corpus if f.endswith(".nfg") and players_in_nfg(f) >= 3]
    return files + (corpus[:2] if args.quick else corpus)


def child_json(cmd, limit):
    """The last JSON line of a child process run under `limit` seconds (plus GRACE), or
    {"timeout": limit} or {"error": ...}."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + GRACE, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"timeout": limit}
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1][:160]}
    return json.loads(lines[-1])


def patron_process(args, method, path, limit):
    """Median wall time of `patron solve` (one run when it is SLOW, else REPS runs)."""
    cmd = [args.patron_bin, "solve", path, "--format", "json"] + (
        ["--method", "logit", "--lambda", str(TREE_LAMBDA)] if method == "tree-logit"
        else ["--method", method])
    times = []
    while len(times) < (1 if times and times[0] >= SLOW else REPS):
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + GRACE)
        except subprocess.TimeoutExpired:
            return {"timeout": limit}
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:160]}
    return {"median_s": statistics.median(times)}


def in_process(args, python, method, path, limit):
    """(patron harness result, pygambit result), fast cells settled over ROUNDS processes."""
    lam = [str(TREE_LAMBDA)] if method == "tree-logit" else []

    def ours():
        return child_json([args.harness, method, path, str(REPS)] + lam, limit)

    def theirs():
        return child_json([python, os.path.join(HERE, "peers.py"), "pygambit", method, str(REPS)]
                          + (["--lambda"] + lam if lam else []) + [path], limit)

    o, t = ours(), theirs()
    if o.get("median_s", FAST) < FAST and t.get("median_s", FAST) < FAST:
        for _ in range(ROUNDS - 1):
            for best, again in ((o, ours()), (t, theirs())):
                if "median_s" in again:
                    best["median_s"] = min(best["median_s"], again["median_s"])
    return o, t


def relative_regret(game, profile):
    """Largest gain from a pure deviation over the payoff range (pygambit's arithmetic)."""
    spread = float(game.max_payoff - game.min_payoff)
    regret = game.mixed_strategy_profile(data=profile, rational=False).max_regret()
    return regret / spread if spread > 0 else regret


def distance(p, q):
    """Max-norm distance of two profiles; infinite when their shapes differ."""
    if [len(x) for x in p] != [len(y) for y in q]:
        return float("inf")
    return max(abs(a - b) for x, y in zip(p, q) for a, b in zip(x, y))


def answers(method, game, ours, theirs):
    """(same?, text) for the answers column: gnm's lists as sets, else the first answers."""
    tol = TOL[method]
    if method != "gnm":
        ours, theirs = ours[:1], theirs[:1]
    if not ours and not theirs:
        return True, "= (none)"
    if not ours or not theirs:
        return False, f"DIFFERENT: {'patron' if not ours else 'pygambit'} found none"
    only_ours = [e for e in ours if min(distance(e, f) for f in theirs) > tol]
    only_theirs = [e for e in theirs if min(distance(e, f) for f in ours) > tol]
    if not only_ours and not only_theirs:
        return True, "="
    if method != "gnm":
        return False, f"DIFFERENT eq (max Δ {distance(ours[0], theirs[0]):.1e})"
    notes = [f"{len(v)} only {side} ({worst(game, v)})"
             for side, v in (("patron's", only_ours), ("pygambit's", only_theirs)) if v]
    return False, "DIFFERENT sets: " + "; ".join(notes)


def worst(game, profiles):
    """The largest relative regret of a list, marked ✓ when it certifies."""
    if not profiles:
        return "—"
    r = max(relative_regret(game, p) for p in profiles)
    return f"{r:.1e}{' ✓' if r <= CERTIFY else ' ✗'}"


def fmt_time(r):
    if "timeout" in r:
        return f"did not finish in {r['timeout']:.0f} s"
    if "error" in r:
        return "error: " + r["error"].removeprefix("error: ")[:70]
    s = r["median_s"]
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def speedup(peer, ours):
    """pygambit's time over patron's, as (number or None, text); a side that did not finish
    makes the ratio a bound."""
    if "median_s" in peer and "median_s" in ours:
        v = peer["median_s"] / ours["median_s"]
        return v, f"{v:.3g}"
    if "timeout" in peer and "median_s" in ours:
        v = peer["timeout"] / ours["median_s"]
        return v, f"> {v:.3g}"
    if "median_s" in peer and "timeout" in ours:
        v = peer["median_s"] / ours["timeout"]
        return v, f"< {v:.3g}"
    return None, "—"


def run(args, python, lines):
    """Every method on every game; a table per method and a summary line per method."""
    limit = args.peer_timeout
    summary = []
    for method in args.methods:
        rows, cells = [], []
        for f in game_files(args, method):
            name = os.path.basename(f)
            print(f"nplayer: {method} {name}", file=sys.stderr, flush=True)
            process = patron_process(args, method, f, limit)
            ours, theirs = in_process(args, python, method, f, limit)
            ratio, ratio_text = speedup(theirs, ours)
            p_ratio, p_ratio_text = speedup(theirs, process)
            game = pygambit.read_nfg(f) if f.endswith(".nfg") else None
            found = [r.get("equilibria") for r in (ours, theirs)]
            counts = "/".join("–" if e is None else str(len(e)) for e in found)
            regrets = "; ".join("–" if e is None or game is None else worst(game, e)
                                for e in found)
            ok, check = (answers(method, game, *found) if None not in found
                         else (False, "not compared (a side has no answer)"))
            cells.append({"game": name, "same": ok, "solve": (ratio, ratio_text),
                          "process": (p_ratio, p_ratio_text)})
            rows.append(f"| {name} | {fmt_time(ours)} | {fmt_time(process)} | {fmt_time(theirs)} "
                        f"| {ratio_text} | {p_ratio_text} | {counts} | {check} | {regrets} |")
        title = (f"agent logit QRE at λ = {TREE_LAMBDA:g} (Gambit's example trees)"
                 if method == "tree-logit" else "n-player games: random, then Gambit's examples")
        lines += [f"### {method} ({title})", "",
                  "| game | patron solve | patron process | pygambit solve | pygambit ÷ patron "
                  "(solve) | pygambit ÷ patron (process) | equilibria patron/pygambit | answers "
                  "| regret/range patron; pygambit |",
                  "|---|---|---|---|---|---|---|---|---|", *rows, ""]
        summary.append(summary_line(method, cells))
    lines += ["### n-player summary (pygambit's time ÷ patron's; goal ≥ 10 with the same "
              "answers)", "", *summary, "",
              f"Load average at the end of the n-player cells: {os.getloadavg()[0]:.1f}.", ""]


def summary_line(method, cells):
    """The smallest ratio over the cells (solve and whole process), and how many cells have
    the same answers and how many also reach GOAL in-process."""
    def least(key):
        known = [c for c in cells if c[key][0] is not None]
        if not known:
            return "—"
        c = min(known, key=lambda c: c[key][0])
        return f"{c[key][1]} ({c['game']})"
    same = [c for c in cells if c["same"]]
    goal = [c for c in same if c["solve"][0] is not None and c["solve"][0] >= GOAL
            and not c["solve"][1].startswith("<")]
    return (f"- **{method}**: smallest ratio {least('solve')} in-process, {least('process')} "
            f"whole process; same answers in {len(same)} of {len(cells)} cells, and "
            f"≥ {GOAL:.0f}× in-process with the same answers in {len(goal)} of {len(cells)}")
