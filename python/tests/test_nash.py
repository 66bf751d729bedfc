"""patron.nash: every solver under pygambit's name, checked against closed forms, brute force
and pygambit's own answers (../shared/games/gambit/expected)."""

import itertools
import json
import threading
import time
from fractions import Fraction

import numpy as np
import pytest

import patron
from patron import nash

F = Fraction


def chicken():
    a = [[0, -1], [1, -10]]
    b = [[0, 1], [-1, -10]]
    return patron.Game.from_arrays(
        a, b, players=["Player 1", "Player 2"],
        strategies=[["Swerve", "Straight"], ["Swerve", "Straight"]])


def pennies():
    return patron.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def test_enumpure_solve_chicken_has_two_pure_equilibria():
    result = nash.enumpure_solve(chicken())
    assert result.method == "enumpure" and result.complete
    found = sorted((eq["Player 1"]["Straight"], eq["Player 2"]["Straight"]) for eq in result.equilibria)
    assert found == [(0, 1), (1, 0)]


def test_enummixed_solve_chicken_mixed_closed_form():
    # Mixed: the other swerves with q where 0*q - 1*(1-q) = 1*q - 10*(1-q), so q = 9/10.
    result = nash.enummixed_solve(chicken())
    mixed = [eq for eq in result.equilibria if 0 < eq["Player 1"]["Swerve"] < 1]
    assert len(result.equilibria) == 3 and len(mixed) == 1
    eq = mixed[0]
    assert eq["Player 1"]["Swerve"] == F(9, 10) and eq["Player 2"]["Swerve"] == F(9, 10)
    assert eq.payoffs == [F(-1, 10), F(-1, 10)]
    assert eq.regret == 0
    assert isinstance(eq["Player 1"]["Swerve"], Fraction)
    np.testing.assert_array_equal(eq.as_array(), [0.9, 0.1, 0.9, 0.1])
    a1, a2 = eq.as_arrays()
    np.testing.assert_array_equal(a1, [0.9, 0.1])
    assert list(eq) == ["Player 1", "Player 2"] and eq[1][0] == F(9, 10)
    with pytest.raises(KeyError, match="Player 3"):
        eq["Player 3"]
    with pytest.raises(KeyError, match="Brake"):
        eq["Player 1"]["Brake"]


def test_rational_false_gives_floats_and_stop_after_truncates():
    result = nash.enummixed_solve(chicken(), rational=False, stop_after=1)
    assert len(result.equilibria) == 1 and not result.complete
    assert all(isinstance(x, float) for row in result.equilibria[0].profile for x in row)
    assert result.parameters["stop_after"] == 1 and result.parameters["rational"] is False
    with pytest.raises(patron.PatronError, match="stop_after"):
        nash.enummixed_solve(chicken(), stop_after=0)


def test_lcp_solve_pennies_and_all_labels():
    result = nash.lcp_solve(pennies())
    assert len(result.equilibria) == 1
    assert result.equilibria[0].profile == [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]]
    every = nash.lcp_solve(chicken(), all_labels=True)
    # Each label's path ends at an equilibrium of enummixed's list.
    extreme = [e.profile for e in nash.enummixed_solve(chicken()).equilibria]
    assert every.equilibria and all(e.profile in extreme for e in every.equilibria)


def test_lp_solve_value_of_a_zero_sum_game():
    # Rock–paper–scissors: value 0, uniform play.
    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    result = nash.lp_solve(patron.Game.from_arrays(rps, [[-x for x in row] for row in rps]))
    assert result.values == [0, 0]
    assert result.equilibria[0].profile == [[F(1, 3)] * 3, [F(1, 3)] * 3]
    with pytest.raises(patron.PatronError):
        nash.lp_solve(chicken())  # not constant-sum


def brute_force_is_equilibrium(tables, profile):
    """Independent check: no player gains by a pure deviation (exact arithmetic)."""
    n = len(tables)
    counts = [len(p) for p in profile]

    def payoff(p, mixed):
        total = F(0)
        for pure in itertools.product(*[range(c) for c in counts]):
            prob = F(1)
            for q, s in enumerate(pure):
                prob *= mixed[q][s]
            cell = tables[p]
            for s in pure:
                cell = cell[s]
            total += prob * cell
        return total

    for p in range(n):
        value = payoff(p, profile)
        for s in range(counts[p]):
            deviation = [row[:] for row in profile]
            deviation[p] = [F(int(k == s)) for k in range(counts[p])]
            if payoff(p, deviation) > value:
                return False
    return True


def test_enumpoly_solve_three_players_brute_force(corpus):
    g = patron.read_game(corpus / "2x2x2.nfg")
    result = nash.enumpoly_solve(g)
    expected = json.loads((corpus / "expected" / "2x2x2.nfg.json").read_text())["solvers"]["enumpoly"]
    assert len(result.equilibria) == expected["count"]
    # pygambit's enumpoly answers in floats: each matches one of ours within 1e-9, one to one.
    theirs = [[[float(F(x)) for x in row] for row in e["probs"]] for e in expected["equilibria"]]
    ours = [[[float(x) for x in row] for row in e.profile] for e in result.equilibria]
    for profile in theirs:
        matches = [o for o in ours if all(abs(x - y) < 1e-9 for r, q in zip(profile, o) for x, y in zip(r, q))]
        assert len(matches) == 1, profile
        ours.remove(matches[0])
    for eq in result.equilibria:
        assert eq.exact and brute_force_is_equilibrium(TABLES_2X2X2(corpus), eq.profile)


def TABLES_2X2X2(corpus):
    """2x2x2.nfg's payoff tables, read back from the file's Gambit text by patron.parse order."""
    text = patron.read_game(corpus / "2x2x2.nfg").to_nfg()
    numbers = [F(x) for x in text.split('""')[-1].split()]
    tables = [[[[None] * 2 for _ in range(2)] for _ in range(2)] for _ in range(3)]
    k = 0
    for c in range(2):
        for b in range(2):
            for a in range(2):
                for p in range(3):
                    tables[p][a][b][c] = numbers[k]
                    k += 1
    return tables


def test_enumpoly_on_a_random_game_is_certified_by_brute_force():
    rng = np.random.default_rng(7)
    tables = [rng.integers(-5, 6, size=(2, 2, 2)).tolist() for _ in range(3)]
    result = nash.enumpoly_solve(patron.Game.from_arrays(*tables))
    assert result.equilibria
    for eq in result.equilibria:
        if eq.exact:
            assert brute_force_is_equilibrium(tables, eq.profile)


def test_logit_solve_at_zero_is_uniform_and_branch_starts_there():
    g = chicken()
    at_zero = nash.logit_solve(g, 0.0)
    assert at_zero.equilibria[0].profile == [[0.5, 0.5], [0.5, 0.5]]
    assert at_zero.method == "logit" and at_zero.parameters == {"lam": 0.0}
    branch = nash.logit_solve(pennies(), to_lambda=5.0)
    arr = branch.as_array()
    assert arr[0, 0] == 0.0 and arr[-1, 0] == pytest.approx(5.0)
    # Matching pennies: the logit branch stays at (1/2, 1/2) for every λ (symmetry).
    np.testing.assert_allclose(arr[:, 1:], 0.5, atol=1e-9)
    direct = nash.logit_solve_branch(pennies(), 5.0)
    assert direct.lambdas == branch.lambdas and len(direct) == len(branch)
    # Every point's profile is the symmetric one too, per player and strategy.
    assert all(p == [[pytest.approx(0.5), pytest.approx(0.5)]] * 2 for p in direct.profiles)
    with pytest.raises(patron.PatronError):
        nash.logit_solve(g)
    with pytest.raises(patron.PatronError, match="lam"):
        nash.logit_solve(g, float("nan"))


def test_logit_at_large_lambda_approaches_nash():
    eq = nash.logit_solve_lambda(pennies(), 50.0).equilibria[0]
    assert eq.profile[0][0] == pytest.approx(0.5, abs=1e-6)


def test_stackelberg_solve_commitment_closed_form():
    # Conitzer & Sandholm's example: the leader commits to (1/2, 1/2) (the follower, indifferent,
    # breaks ties in the leader's favour): leader's value 3.5 > its Nash value 2.
    a = [[2, 4], [1, 3]]
    b = [[1, 0], [0, 1]]
    result = nash.stackelberg_solve(patron.Game.from_arrays(a, b))
    c = result.equilibria[0]
    assert c.commitment == [F(1, 2), F(1, 2)]
    assert c.leader_value == F(7, 2)
    assert c.responses == ["2"]
    with pytest.raises(patron.PatronError, match="leader"):
        nash.stackelberg_solve(chicken(), leader=3)


def test_correlated_solve_chicken_beats_every_nash_and_obeys_incentives():
    a = [[6, 2], [7, 0]]
    b = [[6, 7], [2, 0]]
    game = patron.Game.from_arrays(a, b)
    ce = nash.correlated_solve(game).equilibria[0]
    dist = {tuple(int(s) - 1 for s in prof): p for prof, p in ce.distribution}
    assert sum(dist.values()) == 1
    # Incentive constraints, checked here from the payoffs.
    for i, k in itertools.permutations(range(2), 2):
        assert sum(dist.get((i, j), 0) * (a[i][j] - a[k][j]) for j in range(2)) >= 0
        assert sum(dist.get((j, i), 0) * (b[j][i] - b[j][k]) for j in range(2)) >= 0
    welfare = sum(p * (a[i][j] + b[i][j]) for (i, j), p in dist.items())
    nash_welfare = [sum(e.payoffs) for e in nash.enummixed_solve(game).equilibria]
    assert welfare >= max(nash_welfare)
    assert ce.objective == welfare
    with_vertices = nash.correlated_solve(game, vertices=True).equilibria[0]
    assert with_vertices.vertices and all(sum(v) == 1 for v in with_vertices.vertices)


def test_spe_solve_is_among_the_reduced_form_pure_equilibria(corpus):
    for name in ("nim.efg", "e07.efg", "sh3.efg"):
        g = patron.read_game(corpus / name)
        try:
            result = nash.spe_solve(g)
        except patron.PatronError as e:
            assert "perfect information" in str(e)
            continue
        pure = [e.profile for e in nash.enumpure_solve(g).equilibria]
        assert result.equilibria and all(e.profile in pure for e in result.equilibria), name
        assert all(e.behaviour is not None for e in result.equilibria)


def test_enumpure_agent_and_use_strategic_on_a_tree(corpus):
    g = patron.read_game(corpus / "e04.efg")
    agent = nash.enumpure_solve(g, agent=True)
    assert agent.method == "enumpure-agent"
    expected = json.loads((corpus / "expected" / "e04.efg.json").read_text())["solvers"]
    assert len(agent.equilibria) == expected["enumpure_agent"]["count"]
    strategic = nash.lcp_solve(g, use_strategic=True)
    assert strategic.equilibria[0].behaviour is None
    tree = nash.lcp_solve(g)
    assert tree.equilibria[0].behaviour is not None
    with pytest.raises(patron.PatronError, match="agent"):
        nash.enumpure_solve(chicken(), agent=True)


def big_random_game(n=22, seed=5):
    rng = np.random.default_rng(seed)
    return patron.Game.from_arrays(rng.integers(0, 1000, size=(n, n)), rng.integers(0, 1000, size=(n, n)))


def test_max_seconds_stops_a_long_enumeration():
    # enummixed on a random 22x22 game runs far beyond 0.3 s (16x16 takes about 0.7 s,
    # docs/performance.md, and the work grows exponentially).
    start = time.perf_counter()
    result = nash.enummixed_solve(big_random_game(), max_seconds=0.3)
    elapsed = time.perf_counter() - start
    assert not result.complete and result.parameters["max_seconds"] == 0.3
    assert elapsed < 3.0
    assert all(eq.regret == 0 for eq in result.equilibria)
    with pytest.raises(patron.PatronError, match="max_seconds"):
        nash.enummixed_solve(chicken(), max_seconds=-1)


@pytest.mark.parametrize("n", [8, 9])
def test_enummixed_on_either_side_of_the_calling_thread_bound_equals_the_cli(n, tmp_path, cli_json):
    # 8x8 (C(16, 8) bases) runs on the calling thread, 9x9 on a worker from the start
    # (python/src/game.rs, route): the same equilibria as `patron solve` either way, also as the
    # default solver and under a budget that does not run out.
    game = big_random_game(n, seed=40 + n)
    path = tmp_path / f"r{n}.nfg"
    path.write_text(game.to_nfg())
    doc = cli_json("solve", path, "--method", "enummixed", "--format", "json")
    expected = [[[F(x) for x in row] for row in e["profile"]] for e in doc["equilibria"]]
    assert len(expected) >= 1
    for result in (nash.enummixed_solve(game), nash.solve(game),
                   nash.enummixed_solve(game, max_seconds=60.0)):
        assert result.complete
        assert [eq.profile for eq in result.equilibria] == expected


def test_ctrl_c_stops_a_long_solve():
    import os
    import signal

    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        nash.enummixed_solve(big_random_game())
    timer.join()
    assert time.perf_counter() - start < 1.5


def test_solve_with_no_method_uses_the_cli_default(corpus):
    assert nash.solve(patron.read_game(corpus / "2x2.nfg")).method == "enummixed"
    assert nash.solve(patron.read_game(corpus / "2x2x2.nfg")).method == "enumpoly"


def test_a_non_game_is_refused_by_name():
    with pytest.raises(TypeError, match="patron.Game"):
        nash.enumpure_solve([[1, 2], [3, 4]])
