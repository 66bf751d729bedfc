"""Times patron against pygambit, nashpy and quantecon on the same games and checks that both
sides found the same equilibria. Run through run.sh, which sets up the pinned peers.

  python driver.py --patron-bin BIN --harness BIN --workdir DIR --corpus DIR [--quick]

Every cell is a (task, game, peer) triple: patron's median in-process solve time (the
examples/peer_timing.rs harness), the peer's median in its warm interpreter (peers.py), their
ratio patron/peer (below 1: patron faster), and the comparison of their equilibria. Peers answer
in floats; each peer equilibrium is matched to one of patron's exact ones within TOL (max-norm).
For "all equilibria" tasks, a patron equilibrium no peer equilibrium matches is the peer's miss
(patron's are certified exactly); a peer equilibrium matching none of patron's is reported with
its regret, recomputed here. Single-equilibrium tasks report "=" or the peer's regret.
A peer cell that exceeds TIMEOUT seconds is killed and marked, and the peer's larger games for
that task are skipped. The whole run takes about 30 minutes on a 2-core machine, 19 of them
for the n-player and tree-logit cells of nplayer.py (which use their own per-call limit).
"""

import argparse
import datetime
import json
import os
import platform
import queue
import re
import statistics
import subprocess
import sys
import threading
import time

import nplayer
import work
from games import players_in_nfg, random_bimatrix, read_bimatrix, write_nfg

TOL = 1e-6
TIMEOUT = 40.0
REPS = 5
# Cells under FAST seconds on both sides are timed in ROUNDS processes per side (see settle).
FAST = 0.01
ROUNDS = 3
HERE = os.path.dirname(os.path.abspath(__file__))

# task: (sizes, quick sizes, zero-sum, patron harness method, [(peer lib, peer task)], all?)
TASKS = {
    "enummixed": ([4, 8, 12, 16], [4, 8], False, "enummixed",
                  [("pygambit", "enummixed"), ("pygambit", "enummixed-float"), ("nashpy", "vertex"),
                   ("nashpy", "support"), ("quantecon", "vertex")], True),
    "lcp": ([10, 50, 100, 200, 400], [10, 50], False, "lcp",
            [("pygambit", "lcp"), ("pygambit", "lcp-float"), ("nashpy", "lh"), ("quantecon", "lh")],
            False),
    "lp": ([10, 100, 500], [10, 100], True, "lp",
           [("pygambit", "lp"), ("pygambit", "lp-float"), ("nashpy", "lp")], False),
    "logit": ([4, 8, 16], [4], False, "logit", [("pygambit", "logit")], False),
}
SEEDS = {"enummixed": 1000, "lcp": 2000, "lp": 3000, "logit": 4000}
# λ for the logit QRE: payoffs are 0..999, so λ·(payoff gap) runs up to about 10.
LOGIT_LAMBDA = 0.01


def run_json(cmd, timeout):
    """One JSON line from a command, or {"error": ...} (timeouts included)."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout > {timeout:.0f} s"}
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    return json.loads(lines[-1])


def run_peer(python, lib, task, files, lam):
    """Stream one peer over its files (smallest first); a file over TIMEOUT ends the stream."""
    cmd = [python, os.path.join(HERE, "peers.py"), lib, task, str(REPS)]
    if lam is not None:
        cmd += ["--lambda", str(lam)]
    proc = subprocess.Popen(cmd + files, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=HERE)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout] + [lines.put(None)],
                     daemon=True).start()
    results, killed = {}, False
    wait = TIMEOUT + 30  # the first file also pays for imports and numba's compilation
    while len(results) < len(files):
        try:
            line = lines.get(timeout=wait)
        except queue.Empty:
            proc.kill()
            killed = True
            break
        if line is None:
            break
        if line.startswith("{"):
            r = json.loads(line)
            results[r["file"]] = r
            wait = TIMEOUT
    proc.wait()
    missing = [f for f in files if f not in results]
    for k, f in enumerate(missing):
        why = ("peer process died" if not killed
               else f"timeout > {TIMEOUT:.0f} s" if k == 0 else "skipped (a smaller game timed out)")
        results[f] = {"error": why}
    return results


def settle(files, ours, theirs, rerun_ours, rerun_peer):
    """Time the fast cells (both sides under FAST) in ROUNDS - 1 more processes per side,
    alternating patron and the peers, and keep each side's least median in "best_s".

    Why: on this shared machine a process can run its whole life about 1.6 times slower than the
    next one (a 4x4 enumeration's median moved between 6 and 10 us from one process to the
    next, uniformly across functions: the core it landed on, not the code). Within a process
    the median removes noise; across processes the least median is the least disturbed one,
    the rule of Python's timeit, applied to both sides alike. Slower cells are not repeated:
    their medians are already stable, and repeating them would triple the run."""
    def fast(f, r):
        return ours[f].get("median_s", FAST) < FAST and r.get("median_s", FAST) < FAST
    cells = {p: [f for f in files if fast(f, results[f])] for p, results in theirs.items()}
    mine = [f for f in files if any(f in fs for fs in cells.values())]
    for r in [ours[f] for f in mine] + [theirs[p][f] for p, fs in cells.items() for f in fs]:
        r["best_s"] = r["median_s"]
    for _ in range(ROUNDS - 1):
        for f in mine:
            again = rerun_ours(f)
            if "median_s" in again:
                ours[f]["best_s"] = min(ours[f]["best_s"], again["median_s"])
        for p, fs in cells.items():
            if not fs:
                continue
            again = rerun_peer(p, fs)
            for f in fs:
                if "median_s" in again[f]:
                    theirs[p][f]["best_s"] = min(theirs[p][f]["best_s"], again[f]["median_s"])


def close(p, q, tol=TOL):
    return all(len(x) == len(y) and all(abs(a - b) <= tol for a, b in zip(x, y))
               for x, y in zip(p, q)) and len(p) == len(q)


def regret(path, profile):
    """Largest gain from a pure deviation in a bimatrix game (the peer's answer checked here)."""
    a, b = read_bimatrix(path)
    x, y = profile
    m, n = len(a), len(a[0])
    ay = [sum(a[i][j] * y[j] for j in range(n)) for i in range(m)]
    xb = [sum(x[i] * b[i][j] for i in range(m)) for j in range(n)]
    return max(max(ay) - sum(x[i] * ay[i] for i in range(m)),
               max(xb) - sum(xb[j] * y[j] for j in range(n)))


def compare(path, ours, theirs, want_all, tol=TOL):
    """The check column: '=' when the sets agree, else what differs."""
    if not want_all:
        theirs = theirs[:1]  # a one-equilibrium solver: its first answer
        if not theirs and not ours:
            return "= (none)"
        if not theirs or not ours:
            return f"{'peer' if not theirs else 'patron'} found none"
    unique = []
    for e in theirs:
        if not any(close(e, u, tol) for u in unique):
            unique.append(e)
    extra = [e for e in unique if not any(close(e, o, tol) for o in ours)]
    missed = [o for o in ours if not any(close(o, e, tol) for e in unique)]
    if not extra and (not missed or not want_all):
        return "="
    notes = []
    if want_all and missed:
        notes.append(f"peer misses {len(missed)}")
    if extra:
        worst = (max(regret(path, e) for e in extra)
                 if path.endswith(".nfg") and players_in_nfg(path) == 2 else None)
        what = "different eq" if not want_all else f"peer +{len(extra)} not in patron's"
        notes.append(what + (f" (peer regret {worst:.1e})" if worst is not None else ""))
    return "; ".join(notes)


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-4:
        return f"{s * 1e6:.1f} µs"
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s"


def strategic_tasks(args, python, lines):
    for name, (sizes, quick, zero_sum, method, peers, want_all) in TASKS.items():
        sizes = quick if args.quick else sizes
        files = []
        for n in sizes:
            a, b = random_bimatrix(n, SEEDS[name] + n, zero_sum)
            path = os.path.join(args.workdir, f"{name}-{n}x{n}.nfg")
            write_nfg(path, a, b, f"{name} {n}x{n} seed {SEEDS[name] + n}")
            files.append(path)
        lam = LOGIT_LAMBDA if name == "logit" else None
        extra = [str(lam)] if lam is not None else []
        def time_ours(f):
            return run_json([args.harness, method, f, str(REPS)] + extra, TIMEOUT * 3)
        ours = {f: time_ours(f) for f in files}
        theirs = {p: run_peer(python, p[0], p[1], files, lam) for p in peers}
        settle(files, ours, theirs, time_ours, lambda p, fs: run_peer(python, p[0], p[1], fs, lam))
        title = f"{name}" + (f" (λ = {lam})" if lam is not None else "")
        table(lines, title, files, ours, theirs, want_all, lambda f: os.path.basename(f)[len(name) + 1:-4])


def two_players(path):
    """Whether an .efg header names exactly two players (read here, so a file one side
    cannot parse still shows up as that side's error)."""
    header = re.match(r'\s*EFG\s+2\s+[RD]\s+"(?:[^"\\]|\\.)*"\s*\{([^}]*)\}', open(path).read())
    return header is not None and len(re.findall(r'"(?:[^"\\]|\\.)*"', header.group(1))) == 2


def corpus_task(args, python, lines, method, select, title, want_all):
    """One method on the corpus files `select` keeps, against pygambit's solver of that name."""
    if not os.path.isdir(args.corpus):
        lines += [f"({title} skipped: no Gambit corpus at {args.corpus})", ""]
        return
    files = [os.path.join(args.corpus, f) for f in sorted(os.listdir(args.corpus))]
    files = [f for f in files if select(f)]
    if args.quick:
        files = files[:4]
    def time_ours(f):
        return run_json([args.harness, method, f, str(REPS)], TIMEOUT * 3)
    ours = {f: time_ours(f) for f in files}
    theirs = {("pygambit", method): run_peer(python, "pygambit", method, files, None)}
    settle(files, ours, theirs, time_ours, lambda p, fs: run_peer(python, p[0], p[1], fs, None))
    table(lines, title, files, ours, theirs, want_all, os.path.basename)


def tree_task(args, python, lines):
    corpus_task(args, python, lines, "seqlcp", lambda f: f.endswith(".efg") and two_players(f),
                "sequence-form lcp (Gambit's example trees)", False)


def enumpoly_task(args, python, lines):
    corpus_task(args, python, lines, "enumpoly",
                lambda f: f.endswith(".nfg") and players_in_nfg(f) >= 3,
                "enumpoly (Gambit's example games with 3 or more players; every equilibrium)", True)


def table(lines, title, files, ours, theirs, want_all, label, tol=TOL):
    lines += [f"### {title}", "",
              "| game | peer | patron | peer time | patron/peer | equilibria patron/peer | check |",
              "|---|---|---|---|---|---|---|"]
    for f in files:
        o = ours[f]
        for (lib, task), results in theirs.items():
            t = results[f]
            peer = f"{lib} {task}"
            if "error" in o:
                peer_time = fmt_time(t["median_s"]) if "median_s" in t else t["error"]
                lines.append(f"| {label(f)} | {peer} | refused: {o['error'][:90]} | {peer_time} | | | |")
                continue
            if "error" in t:
                lines.append(f"| {label(f)} | {peer} | {fmt_time(o['median_s'])} | {t['error']} "
                             f"| | {len(o['equilibria'])}/– | |")
                continue
            # the least of ROUNDS process medians when settle repeated this cell, else the one
            key = "best_s" if "best_s" in t else "median_s"
            mine, their = o[key], t[key]
            ratio = mine / their if their > 0 else float("inf")
            check = compare(f, o["equilibria"], t["equilibria"], want_all, tol)
            lines.append(f"| {label(f)} | {peer} | {fmt_time(mine)} | "
                         f"{fmt_time(their)} | {ratio:.3g} | "
                         f"{len(o['equilibria'])}/{len(t['equilibria'])} | {check} |")
    lines.append("")


def process_task(args, python, lines):
    """Whole process, start-up included: `patron solve` against a fresh interpreter."""
    a, b = random_bimatrix(4, 5004)
    small = os.path.join(args.workdir, "process-4x4.nfg")
    write_nfg(small, a, b, "process 4x4 seed 5004")
    a, b = random_bimatrix(10, 5010)
    mid = os.path.join(args.workdir, "process-10x10.nfg")
    write_nfg(mid, a, b, "process 10x10 seed 5010")
    load = "import sys; sys.path.insert(0, %r); from games import read_bimatrix; " % HERE
    cells = [
        (small, "enummixed", {
            "pygambit enummixed": "import pygambit as g; g.nash.enummixed_solve(g.read_nfg(%r))",
            "nashpy vertex": load + "import nashpy, numpy as np; "
                             "list(nashpy.Game(*map(np.array, read_bimatrix(%r))).vertex_enumeration())",
            "quantecon vertex": load + "import numpy as np; from quantecon.game_theory import *; "
                                "a, b = map(np.array, read_bimatrix(%r)); "
                                "vertex_enumeration(NormalFormGame((Player(a), Player(b.T))))",
        }),
        (mid, "lcp", {
            "pygambit lcp": "import pygambit as g; g.nash.lcp_solve(g.read_nfg(%r), stop_after=1)",
            "nashpy lh": load + "import nashpy, numpy as np; "
                         "nashpy.Game(*map(np.array, read_bimatrix(%r))).lemke_howson(0)",
            "quantecon lh": load + "import numpy as np; from quantecon.game_theory import *; "
                            "a, b = map(np.array, read_bimatrix(%r)); "
                            "lemke_howson(NormalFormGame((Player(a), Player(b.T))))",
        }),
    ]

    def timed(cmd):
        times = []
        for _ in range(REPS):
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                return None
        return statistics.median(times)

    lines += ["### whole process (start-up, reading, solving, printing)", "",
              "| game | peer | `patron solve` | peer process | patron/peer |", "|---|---|---|---|---|"]
    for path, method, peers in cells:
        ours = timed([args.patron_bin, "solve", path, "--method", method, "--format", "json"])
        for peer, script in peers.items():
            try:
                theirs = timed([python, "-c", script % path])
            except subprocess.TimeoutExpired:
                theirs = None
            ratio = f"{ours / theirs:.3g}" if ours and theirs else "—"
            lines.append(f"| {os.path.basename(path)[8:-4]} {method} | {peer} | {fmt_time(ours)} | "
                         f"{fmt_time(theirs)} | {ratio} |")
    lines.append("")


def header(args, python):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    versions = subprocess.run([python, "-c",
                               "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' "
                               "for p in ['pygambit', 'nashpy', 'quantecon', 'numba', 'numpy', 'scipy']))"],
                              capture_output=True, text=True).stdout.strip()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return [f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
            f"- patron: release build, {rustc}; Python {platform.python_version()}: {versions}",
            f"- medians after one warm-up run, of at least {REPS} runs and more until 0.2 s of "
            f"solving (at most 10,000; fewer than {REPS} once a cell's runs pass 10 s); cells under "
            f"{FAST * 1e3:.0f} ms on both sides: the least median of {ROUNDS} processes per side; peer timeout "
            f"{TIMEOUT:.0f} s per game; equilibria compared within {TOL:g}; n-player cells: each "
            f"call limited to {args.peer_timeout:.0f} s (its process killed "
            f"{nplayer.GRACE:.0f} s later), "
            f"runs of at least {nplayer.SLOW:.0f} s timed once",
            f"- load average at the start: {os.getloadavg()[0]:.1f} (the machine is shared)", ""]


def methods(text):
    """The --methods list, each one of nplayer.METHODS."""
    names = text.split(",")
    unknown = [m for m in names if m not in nplayer.METHODS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {nplayer.METHODS}")
    return names


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--patron-bin", required=True)
    p.add_argument("--harness", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--quick", action="store_true", help="small sizes only (a smoke test)")
    p.add_argument("--only", choices=["nplayer", "work"],
                   help="run only these cells (nplayer: gnm, ipa, simpdiv and liap on games with "
                        "3 or more players, and the agent logit QRE on trees: nplayer.py; work: "
                        "ipa's work on both sides, counted with gdb, beside its times: work.py)")
    p.add_argument("--draws", default="6,6,6:7001-7024",
                   help="--only work: the random draws, SIZES:FIRST-LAST seeds (default "
                        "6,6,6:7001-7024)")
    p.add_argument("--methods", type=methods, default=nplayer.METHODS,
                   help="the nplayer cells to run, comma-separated: gnm, ipa, simpdiv, liap, "
                        "tree-logit (default: all)")
    p.add_argument("--peer-timeout", type=float, default=60.0,
                   help="nplayer cells: seconds each solver process may run (default 60)")
    args = p.parse_args()
    python = sys.executable
    lines = header(args, python)
    started = time.monotonic()
    if args.only is None:
        strategic_tasks(args, python, lines)
        tree_task(args, python, lines)
        enumpoly_task(args, python, lines)
    if args.only == "work":
        work.run(args, python, lines)
    else:
        nplayer.run(args, python, lines)
    if args.only is None:
        process_task(args, python, lines)
    lines.append(f"Total run time: {time.monotonic() - started:.0f} s.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
