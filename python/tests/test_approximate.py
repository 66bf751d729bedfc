"""Gambit's approximate solvers under pygambit's names (gnm_solve, ipa_solve, simpdiv_solve,
liap_solve, liap_agent_solve): each equals `patron solve FILE --method M --format json` with the
same options, exactly, and on the corpus's n-player games the answer is pygambit's own
(expected-approx/, within 1e-6) where the Rust tests say patron's matches."""

import json
import subprocess
from fractions import Fraction

import numpy as np
import pytest

import patron
from patron import nash

# Games of three or more players, and a tree; the solvers below answer each within seconds.
NPLAYER = ["2x2x2.nfg", "3x3x3.nfg", "5x4x3.nfg", "g2.nfg"]
TREE = "e04.efg"


def cli(patron_bin, path, method, *flags):
    done = subprocess.run([patron_bin, "solve", str(path), "--method", method, *flags,
                           "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def same_as_cli(result, expected):
    assert result.method == expected["method"]
    assert result.complete == expected["complete"]
    assert [e.json for e in result.equilibria] == expected["equilibria"]
    for eq, doc in zip(result.equilibria, expected["equilibria"]):
        if doc["profile"] is not None:
            floats = [float(Fraction(x)) for row in doc["profile"] for x in row]
            np.testing.assert_array_equal(eq.as_array(), floats)


@pytest.mark.parametrize("name", NPLAYER)
@pytest.mark.parametrize("method", ["gnm", "ipa", "simpdiv", "liap"])
def test_defaults_equal_the_cli(corpus, patron_bin, name, method):
    game = patron.read_game(corpus / name)
    result = getattr(nash, f"{method}_solve")(game)
    same_as_cli(result, cli(patron_bin, corpus / name, method))
    # As many as pygambit found (liap from the centroid finds none on three of these games,
    # pygambit's neither), where pygambit answered.
    reference = json.loads((corpus / "expected-approx" / f"{name}.json").read_text())["solvers"][method]
    if reference["status"] == "ok":
        assert len(result.equilibria) == reference["count"]


@pytest.mark.parametrize("method", ["simpdiv", "ipa", "gnm"])
def test_the_answer_on_3x3x3_is_pygambits(corpus, method):
    """An independent source: pygambit 16.7's answer from the centroid (expected-approx/)."""
    reference = json.loads((corpus / "expected-approx" / "3x3x3.nfg.json").read_text())
    theirs = [[float(Fraction(x)) for row in e["profile"] for x in row]
              for e in reference["solvers"][method]["equilibria"]]
    ours = getattr(nash, f"{method}_solve")(patron.read_game(corpus / "3x3x3.nfg"))
    assert len(ours.equilibria) == len(theirs)
    for eq in ours.equilibria:  # as sets: each of ours is one of pygambit's
        assert any(np.allclose(eq.as_array(), t, atol=1e-6, rtol=0) for t in theirs)


def test_gnm_options_reach_the_solver(corpus, patron_bin):
    path = corpus / "3x3x3.nfg"
    weights = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    result = nash.gnm_solve(patron.read_game(path), weights, end_lambda=-5.0, steps=50,
                            local_newton_interval=2, local_newton_maxits=8)
    same_as_cli(result, cli(patron_bin, path, "gnm", "--perturbation", "0,1,0;0,0,1;1,0,0",
                            "--end-lambda", "-5", "--steps", "50", "--local-newton-interval", "2",
                            "--local-newton-maxits", "8"))
    # Another perturbation is another path: the option is not ignored.
    default = nash.gnm_solve(patron.read_game(path))
    assert [e.json for e in result.equilibria] != [e.json for e in default.equilibria]
    assert result.parameters["perturbation"] == "0.0,1.0,0.0;0.0,0.0,1.0;1.0,0.0,0.0"


def test_ipa_perturbation_equals_the_cli(corpus, patron_bin):
    path = corpus / "5x4x3.nfg"
    weights = [[0, 0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1]]
    result = nash.ipa_solve(patron.read_game(path), weights)
    same_as_cli(result, cli(patron_bin, path, "ipa", "--perturbation", "0,0,1,0,0;0,1,0,0;0,0,1"))


def test_simpdiv_start_and_refine_equal_the_cli(corpus, patron_bin, tmp_path):
    path = corpus / "3x3x3.nfg"
    start = [[Fraction(1, 2), Fraction(1, 4), " 1/4"], [0.5, 0.5, 0], [1, 0, 0]]
    (tmp_path / "start.csv").write_text("1/2,1/4,1/4,0.5,0.5,0,1,0,0\n")
    result = nash.simpdiv_solve(patron.read_game(path), start, refine=3, leash=20, maxregret=1e-6)
    same_as_cli(result, cli(patron_bin, path, "simpdiv", "--start", str(tmp_path / "start.csv"),
                            "--refine", "3", "--leash", "20", "--max-regret", "1e-6"))


def test_liap_options_equal_the_cli(corpus, patron_bin, tmp_path):
    path = corpus / "5x4x3.nfg"
    start = [[1, 0, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [Fraction(1, 3)] * 3]
    (tmp_path / "start.csv").write_text("1,0,0,0,0,0.25,0.25,0.25,0.25,1/3,1/3,1/3\n")
    result = nash.liap_solve(patron.read_game(path), start, maxregret=1e-5, maxiter=500)
    same_as_cli(result, cli(patron_bin, path, "liap", "--start", str(tmp_path / "start.csv"),
                            "--max-regret", "1e-5", "--max-iter", "500"))


def test_on_a_tree_gnm_runs_on_the_reduced_form_and_liap_agent_on_the_agent_form(corpus, patron_bin):
    path = corpus / TREE
    game = patron.read_game(path)
    same_as_cli(nash.gnm_solve(game), cli(patron_bin, path, "gnm"))
    agent = nash.liap_agent_solve(game)
    expected = cli(patron_bin, path, "liap", "--agent")
    same_as_cli(agent, expected)
    assert agent.method == "liap-agent" and agent.parameters["agent"] is True


@pytest.mark.parametrize("call, message", [
    (lambda g: nash.gnm_solve(g, [[1, 0], [1, 0]]), "perturbation"),
    (lambda g: nash.gnm_solve(g, [[1, 0], [1, 0], [float("nan"), 0]]), "perturbation"),
    (lambda g: nash.gnm_solve(g, [[1, 1], [1, 0], [1, 0]]), "largest weight"),
    (lambda g: nash.gnm_solve(g, 7), "perturbation"),
    (lambda g: nash.gnm_solve(g, end_lambda=1.0), "end-lambda"),
    (lambda g: nash.simpdiv_solve(g, [[1, 0], [1, 0]]), "start"),
    (lambda g: nash.simpdiv_solve(g, [[1, 0], [1, 0], [0.5, float("inf")]]), "start"),
    (lambda g: nash.liap_solve(g, [["x", 0], [1, 0], [1, 0]]), "start"),
    # Text the start file's line parser would split into more numbers, a second profile, or
    # read as Gambit's `NE` tag, with the count right each time: refused as one element.
    (lambda g: nash.liap_solve(g, [["1/2,1/2"], [1, 0], [1, 0]]), "'1/2,1/2' is not a number"),
    (lambda g: nash.liap_solve(g, [["1", "0\n1"], [1, 0], [0]]), "is not a number"),
    (lambda g: nash.simpdiv_solve(g, [["NE", 1, 0], [1, 0], [1]]), "'NE' is not a number"),
])
def test_bad_options_are_refused_by_name(corpus, call, message):
    game = patron.read_game(corpus / "2x2x2.nfg")
    with pytest.raises(patron.PatronError) as e:
        call(game)
    assert message in str(e.value)
