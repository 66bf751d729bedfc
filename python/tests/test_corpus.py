"""Every game of Gambit's examples: the Python result equals the CLI's JSON, exactly, and the
two-player ones also pygambit's enummixed answers."""

import json
import subprocess
from fractions import Fraction

import numpy as np
import pytest

import patron
from conftest import _corpus

GAMES = sorted(p.name for p in _corpus().glob("*.*fg")) if _corpus().is_dir() else []


@pytest.mark.parametrize("name", GAMES)
def test_default_solver_equals_the_cli_json(corpus, patron_bin, name):
    path = corpus / name
    done = subprocess.run([patron_bin, "solve", str(path), "--format", "json", "--max-seconds", "60"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        # A game the CLI refuses (the corpus has broken games, and trees without perfect
        # recall): the package refuses it too, with the same message.
        with pytest.raises(patron.PatronError) as e:
            patron.nash.solve(patron.read_game(path), max_seconds=60)
        assert done.stderr.strip() == f"error: {e.value}"
        return
    expected = json.loads(done.stdout)
    result = patron.nash.solve(patron.read_game(path), max_seconds=60)
    assert result.json == expected
    assert result.method == expected["method"] and result.complete == expected["complete"]
    assert [e.json for e in result.equilibria] == expected["equilibria"]
    for eq, doc in zip(result.equilibria, expected["equilibria"]):
        if doc["exact"] and doc["profile"] is not None:
            assert eq.profile == [[Fraction(x) for x in row] for row in doc["profile"]]
            assert eq.regret == Fraction(doc["regret"])
        if doc.get("behaviour") is not None and doc["exact"]:
            assert eq.behaviour == [[[Fraction(x) for x in a] for a in i] for i in doc["behaviour"]]
        if doc.get("agent_regret") is not None and doc["exact"]:
            assert eq.agent_regret == Fraction(doc["agent_regret"])
        if doc.get("beliefs") is not None and doc["exact"]:
            assert eq.beliefs == [[None if b is None else [Fraction(x) for x in b] for b in player]
                                  for player in doc["beliefs"]]
        if doc["profile"] is not None:
            # as_array() comes from the solver's floats, not from the JSON's texts: each entry
            # is the nearest double to the CLI's number.
            floats = [float(Fraction(x)) for row in doc["profile"] for x in row]
            np.testing.assert_array_equal(eq.as_array(), floats)


TWO_PLAYER = [n for n in GAMES if n.endswith(".nfg")]


@pytest.mark.parametrize("name", TWO_PLAYER)
def test_enummixed_equals_pygambit(corpus, name):
    reference = json.loads((corpus / "expected" / f"{name}.json").read_text())
    solver = reference.get("solvers", {}).get("enummixed")
    if reference["game"].get("num_players") != 2 or not solver or solver.get("status") != "ok":
        pytest.skip("pygambit has no enummixed answer for this game (not two players, or it failed)")
    ours = patron.nash.enummixed_solve(patron.read_game(corpus / name))
    # As sets: pygambit lists an equilibrium once per degenerate basis (csg2.nfg: 9 for 4).
    mine = {str(e.profile) for e in ours.equilibria}
    theirs = {str([[Fraction(x) for x in row] for row in e["probs"]]) for e in solver["equilibria"]}
    assert mine == theirs
    assert len(mine) == len(ours.equilibria)


@pytest.mark.parametrize("name", TWO_PLAYER)
def test_lcp_first_equilibrium_equals_pygambit(corpus, name):
    """lcp_solve's equilibrium is pygambit's lcp_solve(stop_after=1) answer (label 0's path),
    read through the native result (profile as Fractions, as_array as floats)."""
    reference = json.loads((corpus / "expected" / f"{name}.json").read_text())
    solver = reference.get("solvers", {}).get("lcp_strategic")
    if reference["game"].get("num_players") != 2 or not solver or solver.get("status") != "ok":
        pytest.skip("pygambit has no lcp answer for this game (not two players, or it failed)")
    result = patron.nash.lcp_solve(patron.read_game(corpus / name))
    theirs = [[Fraction(x) for x in row] for row in solver["equilibria"][0]["probs"]]
    assert result.complete and len(result.equilibria) == 1
    eq = result.equilibria[0]
    assert eq.profile == theirs
    assert eq.regret == 0
    np.testing.assert_array_equal(eq.as_array(), [float(x) for row in theirs for x in row])
