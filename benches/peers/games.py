"""Seeded games for the peer comparison, written as Gambit .nfg files that both sides read.

Payoffs are integers drawn uniformly from 0..999 (a wide range makes ties, and so degenerate
games, rare); the seed is fixed per task and size, so every run solves the same games.
"""

import os
import random
import re


def random_bimatrix(n, seed, zero_sum=False):
    """Two n x n integer payoff matrices (row player's A, column player's B)."""
    rng = random.Random(seed)
    a = [[rng.randint(0, 999) for _ in range(n)] for _ in range(n)]
    if zero_sum:
        return a, [[-v for v in row] for row in a]
    b = [[rng.randint(0, 999) for _ in range(n)] for _ in range(n)]
    return a, b


def write_nfg(path, a, b, title):
    """Gambit's payoff-version .nfg: profiles with player 1's strategy varying fastest."""
    m, n = len(a), len(a[0])
    numbers = []
    for j in range(n):
        for i in range(m):
            numbers += [a[i][j], b[i][j]]
    with open(path, "w") as f:
        f.write(f'NFG 1 R "{title}" {{ "1" "2" }} {{ {m} {n} }}\n\n')
        f.write(" ".join(map(str, numbers)) + "\n")


def read_bimatrix(path):
    """The matrices of a file written by write_nfg (for the peers that take matrices)."""
    text = open(path).read()
    counts = re.search(r"\}\s*\{\s*(\d+)\s+(\d+)\s*\}", text)
    m, n = int(counts.group(1)), int(counts.group(2))
    numbers = [int(t) for t in text[counts.end():].split()]
    a = [[0] * n for _ in range(m)]
    b = [[0] * n for _ in range(m)]
    k = 0
    for j in range(n):
        for i in range(m):
            a[i][j], b[i][j] = numbers[k], numbers[k + 1]
            k += 2
    return a, b


def random_game(counts, seed):
    """Payoff tables of a game with counts[p] strategies for player p, integers 0..999: a list
    over pure profiles (player 1's strategy fastest) of each profile's payoffs."""
    rng = random.Random(seed)
    cells = 1
    for c in counts:
        cells *= c
    return [[rng.randint(0, 999) for _ in counts] for _ in range(cells)]


def write_nfg_n(path, counts, payoffs, title):
    """Gambit's payoff-version .nfg for any number of players."""
    players = " ".join(f'"{p + 1}"' for p in range(len(counts)))
    with open(path, "w") as f:
        f.write(f'NFG 1 R "{title}" {{ {players} }} {{ {" ".join(map(str, counts))} }}\n\n')
        f.write(" ".join(str(v) for profile in payoffs for v in profile) + "\n")


def write_draws(spec, workdir):
    """The random games of a `SIZES:FIRST-LAST` spec (e.g. `6,6,6:7001-7024`: one game per seed,
    written as nplayer.py writes its own) into workdir: (a label, the files)."""
    sizes, seeds = spec.split(":")
    counts = [int(c) for c in sizes.split(",")]
    first, last = (int(s) for s in seeds.split("-"))
    name = "x".join(map(str, counts))
    files = []
    for seed in range(first, last + 1):
        path = os.path.join(workdir, f"draw-{name}-{seed}.nfg")
        write_nfg_n(path, counts, random_game(counts, seed), f"random {name} seed {seed}")
        files.append(path)
    return f"{name}, seeds {first}–{last}", files


def players_in_nfg(path):
    """How many players an .nfg header names (0 when it cannot be read here)."""
    header = re.match(r'\s*NFG\s+1\s+[RD]\s+"(?:[^"\\]|\\.)*"\s*\{([^}]*)\}', open(path).read())
    return 0 if header is None else len(re.findall(r'"(?:[^"\\]|\\.)*"', header.group(1)))
