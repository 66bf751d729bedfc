"""Every game of Gambit's examples: the Python result equals the CLI's JSON, exactly, and the
two-player ones also pygambit's enummixed answers."""

import json
from fractions import Fraction

import pytest

import patron
from conftest import _corpus

GAMES = sorted(p.name for p in _corpus().glob("*.*fg")) if _corpus().is_dir() else []


@pytest.mark.parametrize("name", GAMES)
def test_default_solver_equals_the_cli_json(corpus, cli, patron_bin, name):
    path = corpus / name
    try:
        game = patron.read_game(path)
    except patron.PatronError as e:
        # A file the CLI refuses too (the corpus has deliberately broken games): same message.
        import subprocess

        done = subprocess.run([patron_bin, "solve", str(path), "--format", "json"],
                              capture_output=True, text=True)
        assert done.returncode != 0 and str(e) in done.stderr
        return
    result = patron.nash.solve(game, max_seconds=60)
    expected = json.loads(cli("solve", path, "--format", "json", "--max-seconds", "60"))
    assert result.json == expected
    assert [e.json for e in result.equilibria] == expected["equilibria"]
    for eq, doc in zip(result.equilibria, expected["equilibria"]):
        if doc["exact"] and doc["profile"] is not None:
            assert eq.profile == [[Fraction(x) for x in row] for row in doc["profile"]]
            assert eq.regret == Fraction(doc["regret"])


TWO_PLAYER = [n for n in GAMES if n.endswith(".nfg")]


@pytest.mark.parametrize("name", TWO_PLAYER)
def test_enummixed_equals_pygambit(corpus, name):
    reference = json.loads((corpus / "expected" / f"{name}.json").read_text())
    solver = reference.get("solvers", {}).get("enummixed")
    if reference["game"].get("num_players") != 2 or not solver or solver.get("status") != "ok":
        pytest.skip("pygambit has no enummixed answer for this game (not two players, or it failed)")
    ours = patron.nash.enummixed_solve(patron.read_game(corpus / name))
    mine = sorted(str(e.profile) for e in ours.equilibria)
    theirs = sorted(str([[Fraction(x) for x in row] for row in e["probs"]]) for e in solver["equilibria"])
    assert mine == theirs
