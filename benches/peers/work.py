"""ipa's work on each side: whether patron and pygambit do the same work on a game, and what
a cell's time ratio means when they do not.

GameTracer's ipa (pygambit's `ipa_solve`) and patron's follow the same rules (Gambit's
`src/solvers/gtracer/ipa.cc`: α = 0.2, the secant step, the support system tried first, Lemke's
algorithm from the perturbation's best replies otherwise, restarts every 100 iterations), so on
most games they take the same iterations, call Lemke's algorithm as often and make the same
pivots. But the outer iteration is chaotic in the last bits of its arithmetic: where the two
round differently, the counts part (on `random-6x6x6`, seed 6001, GameTracer takes 515
iterations and patron 951, both converging to the same equilibrium), and the cell's time ratio
is then a ratio of different amounts of work. This counts the work on both sides with gdb
(gdb_count.py: breakpoints that count calls of each side's own functions, one solve per
process, never timed) and sets it beside the in-process times of nplayer.py:

- iterations: GameTracer's `InitialiseLHTableau` (once per iteration); patron's
  `Tables::columns` calls less its `Lemke::solve` calls (see COUNTED);
- Lemke calls and pivots: `LemkeHowson` and `Pivot`; `Lemke::solve`, and `Lemke::pivot` with
  `Lemke::pivot_sum_row`.

It runs on the n-player bench games and on DRAWS further random games of one size (`--draws
6,6,6:7001-7024`: sizes, then seeds, written by games.py as nplayer.py writes its own), where
it reports, besides each draw, the ratio of summed times and the time per iteration on each
side. Needs gdb (Debian's package); without it the counts are reported as unknown.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys

import nplayer
from games import write_draws

HERE = os.path.dirname(os.path.abspath(__file__))
GDB_SCRIPT = os.path.join(HERE, "gdb_count.py")
# One counted quantity per row: (pygambit's function, patron's functions, each with its sign).
# patron's iteration (`iteration::run`) computes the polymatrix columns once, and once more over
# all strategies when the support system fails and Lemke's algorithm runs; the support system
# itself is inlined into the iteration in a release build, so its iterations are counted as
# `Tables::columns` calls less `Lemke::solve` calls. Its pivots are `Lemke::pivot` and
# `Lemke::pivot_sum_row` (the start's pivots on the players' sum rows, written out).
COLUMNS = "re:solve::ipa::polymatrix::Tables::columns::h"
LEMKE = "re:solve::ipa::lemke::Lemke::solve::h"
COUNTED = {
    "iterations": ("Gambit::gametracer::InitialiseLHTableau", {COLUMNS: 1, LEMKE: -1}),
    "Lemke calls": ("Gambit::gametracer::LemkeHowson", {LEMKE: 1}),
    "pivots": ("Gambit::gametracer::Pivot", {"re:solve::ipa::lemke::Lemke::pivot::h": 1,
                                             "re:solve::ipa::lemke::Lemke::pivot_sum_row::h": 1}),
}
# The harness solves a game several times (a warm-up, then REPS): counts are per solve.
PATRON_SOLVES = "re:solve::method::solve_strategic::h"
PYGAMBIT_ONCE = "import sys, pygambit as g; g.nash.ipa_solve(g.read_nfg(sys.argv[1]))"
# Seconds a counted run gets beyond the solve's limit: Python's start-up under gdb (symbols for
# every library it loads) took about 20 s on a quiet machine here, and breakpoints slow the run.
COUNT_GRACE = 120.0


def gdb_counts(cmd, names, limit):
    """Calls of each named function in one run of cmd, or None (no gdb, a run longer than
    limit + COUNT_GRACE seconds, or a failed run)."""
    if shutil.which("gdb") is None:
        return None
    env = dict(os.environ, COUNT_FUNCS=";".join(names))
    try:
        out = subprocess.run(["gdb", "-q", "-batch", "-x", GDB_SCRIPT, "--args", *cmd],
                             capture_output=True, text=True, timeout=limit + COUNT_GRACE, env=env,
                             cwd=HERE)
    except subprocess.TimeoutExpired:
        return None
    line = next((l for l in out.stdout.splitlines() if l.startswith("COUNTS ")), None)
    return None if line is None else json.loads(line[len("COUNTS "):])


def patron_work(harness, path, limit):
    """{quantity: count per solve} of patron's ipa on one game, or None if unknown."""
    functions = sorted({f for _, signed in COUNTED.values() for f in signed})
    raw = gdb_counts([harness, "ipa", path, "1"], [PATRON_SOLVES] + functions, limit)
    if not raw or raw[PATRON_SOLVES] == 0:
        return None
    return {q: sum(sign * raw[f] for f, sign in signed.items()) / raw[PATRON_SOLVES]
            for q, (_, signed) in COUNTED.items()}


def work(args, python, path, limit):
    """({quantity: count} of pygambit's solve, the same of patron's), each None if unknown."""
    theirs = gdb_counts([python, "-c", PYGAMBIT_ONCE, path], [f for f, _ in COUNTED.values()],
                        limit)
    if theirs is not None:
        theirs = {q: theirs[f] for q, (f, _) in COUNTED.items()}
    return theirs, patron_work(args.harness, path, limit)


def count_text(theirs, ours, quantity):
    """`pygambit / patron` for one quantity ('–' where unknown)."""
    def one(side):
        return "–" if side is None else f"{side[quantity]:.0f}"
    return f"{one(theirs)} / {one(ours)}"


def row(args, python, path, limit):
    """One game's table row and its numbers."""
    theirs_work, ours_work = work(args, python, path, limit)
    ours, theirs = nplayer.in_process(args, python, "ipa", path, limit)
    ratio, ratio_text = nplayer.speedup(theirs, ours)
    per_iteration = "–"
    known = theirs_work is not None and ours_work is not None
    if ratio is not None and "median_s" in theirs and "median_s" in ours and known:
        per_iteration = f"{ratio * ours_work['iterations'] / theirs_work['iterations']:.3g}"
    same = known and all(abs(theirs_work[q] - ours_work[q]) < 0.5 for q in COUNTED)
    text = (f"| {os.path.basename(path)} | "
            + " | ".join(count_text(theirs_work, ours_work, q) for q in COUNTED)
            + f" | {'yes' if same else ('no' if known else '–')} | {nplayer.fmt_time(theirs)} | "
            f"{nplayer.fmt_time(ours)} | {ratio_text} | {per_iteration} |")
    return text, {"work": (theirs_work, ours_work), "times": (theirs, ours), "same": same}


def summary(cells):
    """Lines on a set of draws: how the counts compare, summed times and time per iteration."""
    both = [c for c in cells if c["work"][0] and c["work"][1]
            and all("median_s" in t for t in c["times"])]
    if not both:
        return ["- no draw finished on both sides with its work counted"]
    same = sum(c["same"] for c in both)
    more = sum(c["work"][1]["iterations"] > c["work"][0]["iterations"] + 0.5 for c in both)
    fewer = sum(c["work"][1]["iterations"] < c["work"][0]["iterations"] - 0.5 for c in both)
    time_theirs = sum(c["times"][0]["median_s"] for c in both)
    time_ours = sum(c["times"][1]["median_s"] for c in both)
    its_theirs = sum(c["work"][0]["iterations"] for c in both)
    its_ours = sum(c["work"][1]["iterations"] for c in both)
    ratios = [c["times"][0]["median_s"] / c["times"][1]["median_s"] for c in both]
    return [
        f"- {len(both)} of {len(cells)} draws finished on both sides with their work counted; "
        f"the same work on {same}, patron more iterations on {more}, fewer on {fewer}",
        f"- iterations summed: pygambit {its_theirs:.0f}, patron {its_ours:.0f}",
        f"- summed times: pygambit {time_theirs * 1e3:.1f} ms, patron {time_ours * 1e3:.1f} ms, "
        f"ratio {time_theirs / time_ours:.3g}; median of the draws' ratios "
        f"{statistics.median(ratios):.3g}",
        f"- time per iteration: pygambit {time_theirs / its_theirs * 1e6:.2f} µs, patron "
        f"{time_ours / its_ours * 1e6:.2f} µs, ratio "
        f"{(time_theirs / its_theirs) / (time_ours / its_ours):.3g}",
    ]


HEADER = ["| game | iterations pygambit / patron | Lemke calls | pivots | same work | "
          "pygambit solve | patron solve | pygambit ÷ patron | the same per iteration |",
          "|---|---|---|---|---|---|---|---|---|"]


def run(args, python, lines):
    """The bench games, then the draws: a table each, and the draws' summary."""
    limit = args.peer_timeout
    if shutil.which("gdb") is None:
        lines += ["(gdb was not found: the work counts are unknown)", ""]
    label, files = write_draws(args.draws, args.workdir)
    for title, files in (("the n-player bench games", nplayer.game_files(args, "ipa")),
                         (f"random draws {label}", files)):
        rows, cells = [], []
        for f in files:
            print(f"work: ipa {os.path.basename(f)}", file=sys.stderr, flush=True)
            text, cell = row(args, python, f, limit)
            rows.append(text)
            cells.append(cell)
        lines += [f"### ipa's work on {title}", "", *HEADER, *rows, ""]
        if files and "draws" in title:
            lines += summary(cells) + [""]
