"""patron.Game: reading Gambit files, building games from arrays, converting, and refusing
bad input by name."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import patron

CHICKEN = dict(players=["Player 1", "Player 2"], strategies=[["Swerve", "Straight"], ["Swerve", "Straight"]])


def chicken():
    a = [[0, -1], [1, -10]]
    b = [[0, 1], [-1, -10]]
    return patron.Game.from_arrays(a, b, title="Chicken", **CHICKEN)


def test_read_game_strategic(corpus):
    g = patron.read_game(corpus / "2x2.nfg")
    assert not g.is_tree
    assert g.players == ["Player 1", "Player 2"]
    assert g.strategies == [["1", "2"], ["1", "2"]]
    assert g.title == "Two person 2 x 2 game with unique mixed equilibrium"


def test_read_game_tree_has_reduced_strategies(corpus, cli_json):
    g = patron.read_game(corpus / "e04.efg")
    assert g.is_tree
    doc = cli_json("solve", corpus / "e04.efg", "--format", "json")
    assert g.players == doc["game"]["players"]
    assert g.strategies == doc["game"]["strategies"]


def test_to_nfg_and_to_efg_equal_the_cli_convert(corpus, cli):
    for name in ("e04.efg", "2x2.nfg"):
        g = patron.read_game(corpus / name)
        assert g.to_nfg().strip() == cli("convert", corpus / name, "--to", "nfg").strip()
    tree = patron.read_game(corpus / "e04.efg")
    assert tree.to_efg().strip() == cli("convert", corpus / "e04.efg", "--to", "efg").strip()
    with pytest.raises(patron.PatronError, match="trees"):
        patron.read_game(corpus / "2x2.nfg").to_efg()


def test_parse_game_round_trips_to_nfg(corpus):
    g = patron.read_game(corpus / "2x2x2.nfg")
    again = patron.parse_game(g.to_nfg())
    assert again.players == g.players and again.strategies == g.strategies
    assert again.to_nfg() == g.to_nfg()


def test_from_arrays_row_and_column_player():
    # A[i][j] is the row player's payoff. Closed form: each player mixes to make the other
    # indifferent: q = 2(1 - q) gives q = 2/3; 2(1 - p) = p gives p = 2/3.
    g = patron.Game.from_arrays([[1, 0], [0, 2]], [[0, 1], [2, 0]])
    eq = patron.nash.enummixed_solve(g).equilibria
    assert len(eq) == 1
    assert eq[0].profile == [[Fraction(2, 3), Fraction(1, 3)], [Fraction(2, 3), Fraction(1, 3)]]
    assert eq[0].payoffs == [Fraction(2, 3), Fraction(2, 3)]


def test_from_arrays_three_players_index_order():
    # Player p's payoff is 100*i1 + 10*i2 + i3 (+ p): each cell checkable through to_nfg's order.
    tables = [np.fromfunction(lambda i, j, k, p=p: 100 * i + 10 * j + k + p, (2, 3, 2), dtype=int)
              for p in range(3)]
    g = patron.Game.from_arrays(*tables)
    assert [len(s) for s in g.strategies] == [2, 3, 2]
    numbers = g.to_nfg().split('""')[-1].split()
    # Gambit order: player 1 fastest; each profile lists every player's payoff.
    expected = []
    for k in range(2):
        for j in range(3):
            for i in range(2):
                expected += [str(100 * i + 10 * j + k + p) for p in range(3)]
    assert numbers == expected


def test_from_arrays_accepts_fractions_decimals_and_floats_exactly():
    g = patron.Game.from_arrays([[Fraction(1, 3), Decimal("0.25")], [0.1, np.int64(2)]],
                                [[0, 0], [0, 0]])
    # Player 1's payoffs in Gambit's order (player 1 fastest), then player 2's zeros.
    numbers = g.to_nfg().split('""')[-1].split()
    assert numbers == ["1/3", "0", "1/10", "0", "1/4", "0", "2", "0"]


def test_from_arrays_numpy_floats_are_their_decimals_and_nan_is_refused():
    # numpy float tables take the fast path (no per-cell Python conversion); 0.1 is still 1/10.
    g = patron.Game.from_arrays(np.array([[0.1, 0.25], [-1.5, 3.0]]), np.zeros((2, 2)))
    numbers = g.to_nfg().split('""')[-1].split()
    assert numbers == ["1/10", "0", "-3/2", "0", "1/4", "0", "3", "0"]
    with pytest.raises(patron.PatronError, match="table 2: payoff nan is not a finite number"):
        patron.Game.from_arrays(np.zeros((2, 2)), np.array([[0.0, np.nan], [1.0, 2.0]]))


@pytest.mark.parametrize("tables, words", [
    (([[1, 2], [3]], [[1, 2], [3, 4]]), "ragged"),
    (([[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]]), "shape"),
    (([[1, 2], [3, float("nan")]], [[1, 2], [3, 4]]), "NaN"),
    (([[1, 2], [3, "x"]], [[1, 2], [3, 4]]), "not a number"),
    (([[1, 2], [3, 4]], 7), "shape"),
    (([[1, 2], [3, 4]],), "dimensions"),
])
def test_from_arrays_refuses_bad_tables_by_name(tables, words):
    with pytest.raises(patron.PatronError) as e:
        patron.Game.from_arrays(*tables)
    if words:
        assert words in str(e.value)


def test_errors_carry_file_and_line(tmp_path):
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "t" { "1" "2" } { 2 2 }\n1 2 3 x\n')
    with pytest.raises(patron.PatronError) as e:
        patron.read_game(bad)
    assert isinstance(e.value, ValueError)
    assert e.value.file == str(bad)
    assert e.value.line == 2
    assert str(e.value).startswith(f"{bad}:2:")
    with pytest.raises(patron.PatronError) as missing:
        patron.read_game(tmp_path / "missing.nfg")
    assert "missing.nfg" in str(missing.value)


def test_game_repr_and_labels():
    g = chicken()
    assert g.players == ["Player 1", "Player 2"]
    assert g.strategies[0] == ["Swerve", "Straight"]
    assert "Chicken" in repr(g)
