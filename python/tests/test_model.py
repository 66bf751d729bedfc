"""patron.Model: params, solve, sweep and sensitivity equal the CLI's output for the same
arguments (JSON exactly; sweep columns bit for bit), and bad arguments are refused by name."""

import csv
import io
import json
import math
import struct

import numpy as np
import pytest

import patron


@pytest.fixture(scope="module")
def model(model_path):
    return patron.Model.load(model_path)


def test_load_and_metadata(model, model_path):
    assert model.name == "gaza-2024"
    assert model.file == str(model_path)
    assert set(model.scenarios) >= {"war", "ceasefire"}
    assert model.default_scenario == "war"


def test_params_equal_the_cli(model, model_path, cli_json):
    for scenario in (None, "ceasefire"):
        args = ["params", model_path, "--format", "json"] + (["--scenario", scenario] if scenario else [])
        assert model.params(scenario) == cli_json(*args)
    first = model.params()[0]
    assert {"path", "value", "range", "source"} <= set(first)


@pytest.mark.parametrize("scenario", ["war", "ceasefire"])
def test_solve_equals_the_cli_on_both_scenarios(model, model_path, cli_json, scenario):
    ours = model.solve(scenario=scenario)
    assert ours == cli_json("solve", model_path, "--scenario", scenario, "--format", "json")
    assert ours["scenario"] == scenario


def test_solve_with_set_equals_the_cli(model, model_path, cli_json):
    sets = {"dyads.us_israel.credibility": 0.4, "chain.recovery": 0.3}
    args = [a for p, v in sets.items() for a in ("--set", f"{p}={v}")]
    ours = model.solve(scenario="ceasefire", set=sets)
    assert ours == cli_json("solve", model_path, "--scenario", "ceasefire", *args, "--format", "json")
    assert ours != model.solve(scenario="ceasefire")


def test_from_toml_equals_load(model, model_path):
    again = patron.Model.from_toml(model_path.read_text(), name=str(model_path))
    assert again.solve(scenario="ceasefire") == model.solve(scenario="ceasefire")


def test_bad_model_text_names_the_line():
    with pytest.raises(patron.PatronError) as e:
        patron.Model.from_toml("[model]\nname = 3\n", name="inline.toml")
    assert e.value.file == "inline.toml"
    assert "inline.toml:" in str(e.value)


def test_unknown_parameter_and_nan_are_refused_by_name(model):
    with pytest.raises(patron.PatronError, match="dyads.nobody.credibility"):
        model.solve(set={"dyads.nobody.credibility": 0.5})
    with pytest.raises(patron.PatronError, match="chain.recovery"):
        model.solve(set={"chain.recovery": float("nan")})
    with pytest.raises(patron.PatronError, match="not a number"):
        model.solve(set={"chain.recovery": "high"})
    with pytest.raises(patron.PatronError, match="steps"):
        model.sweep(vary={"chain.recovery": (0.2, 0.8, 0)})
    with pytest.raises(patron.PatronError, match="nothing to sweep"):
        model.sweep()


def read_csv(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def assert_columns_equal_csv(sweep, text):
    header, rows = read_csv(text)
    assert sweep.columns == header
    assert sweep.rows == len(rows)
    for c, name in enumerate(header):
        cells = [r[c] for r in rows]
        column = sweep[name]
        if column.dtype == np.float64:
            expected = np.array([float(x) if x != "" else math.nan for x in cells])
            # Bit for bit: the same doubles (NaN where the CSV cell is empty).
            assert column.tobytes() == expected.tobytes(), name
        elif column.dtype == np.int64:
            assert column.tolist() == [int(x) for x in cells], name
        else:
            assert [("" if v is None else v) for v in column] == cells, name


def test_grid_sweep_columns_equal_the_cli_csv(model, model_path, cli):
    vary = {"dyads.us_israel.credibility": (0.3, 0.8, 6), "chain.recovery": (0.2, 0.8, 3)}
    sweep = model.sweep(vary=vary, scenario="ceasefire", set={"dyads.iran_hamas.monitoring": 0.3})
    text = cli("sweep", model_path, "--scenario", "ceasefire",
               "--vary", "dyads.us_israel.credibility=0.3:0.8:6", "--vary", "chain.recovery=0.2:0.8:3",
               "--set", "dyads.iran_hamas.monitoring=0.3", "--out", "-", "--quiet")
    assert_columns_equal_csv(sweep, text)
    assert sweep.rows == 18
    assert sweep["point"].tolist() == list(range(18))
    # The outer loop is the first --vary, as on the command line.
    assert sweep["dyads.us_israel.credibility"][:3].tolist() == [0.3, 0.3, 0.3]


def test_monte_carlo_sweep_equals_the_cli_csv(model, model_path, cli, tmp_path):
    sweep = model.sweep(samples=40, seed=3, scenario="war", with_survival=True)
    out = tmp_path / "mc.csv"
    cli("sweep", model_path, "--scenario", "war", "--samples", "40", "--seed", "3",
        "--with-survival", "--out", out, "--summary", tmp_path / "s.json", "--quiet")
    assert_columns_equal_csv(sweep, out.read_text())
    assert "rejected_draws" in sweep.columns
    assert any(name.endswith(".survival") for name in sweep.columns)


def test_monte_carlo_over_named_paths(model, model_path, cli, tmp_path):
    sweep = model.sweep(["chain.recovery"], samples=10, seed=1)
    ranged = model.sweep({"chain.recovery": (0.3, 0.4)}, samples=10, seed=1)
    out = tmp_path / "mc.csv"
    cli("sweep", model_path, "--samples", "10", "--seed", "1", "--vary", "chain.recovery=0.3:0.4",
        "--out", out, "--summary", tmp_path / "s.json", "--quiet")
    assert_columns_equal_csv(ranged, out.read_text())
    assert sweep.rows == 10 and ((ranged["chain.recovery"] >= 0.3) & (ranged["chain.recovery"] <= 0.4)).all()


def test_to_pandas(model):
    pd = pytest.importorskip("pandas", reason="pandas is optional; to_pandas needs it")
    sweep = model.sweep(vary={"chain.recovery": (0.2, 0.8, 4)})
    df = sweep.to_pandas()
    assert list(df.columns) == sweep.columns
    assert len(df) == 4
    np.testing.assert_array_equal(df["ceasefire.optimal.p_hold"].to_numpy(), sweep["ceasefire.optimal.p_hold"])


def test_sensitivity_equals_the_cli(model, model_path, cli_json):
    ours = model.sensitivity("ceasefire.optimal.p_hold", samples=8, seed=2, scenario="ceasefire",
                             set={"chain.recovery": 0.5})
    theirs = cli_json("sensitivity", model_path, "--scenario", "ceasefire", "--samples", "8", "--seed", "2",
                      "--set", "chain.recovery=0.5", "--format", "json", "--quiet")
    assert ours == theirs
    assert all(s["path"] != "chain.recovery" for s in ours["swings"])
    with pytest.raises(patron.PatronError, match="unknown output"):
        model.sensitivity("ceasefire.nothing", samples=0)


def test_progress_line_in_a_notebook(model, capsys):
    # Not a terminal (pytest captures standard error): the package writes its own line.
    model.sweep(vary={"chain.recovery": (0.2, 0.8, 3000)}, progress=True)
    err = capsys.readouterr().err
    assert "/3000 points" in err
    model.sweep(vary={"chain.recovery": (0.2, 0.8, 3000)})  # progress=None: off off a terminal
    assert capsys.readouterr().err == ""


def test_calibrate_equals_the_cli(model, model_path, cli_json):
    data = model_path.parent / "truces-2023-2025.toml"
    options = {"samples": 2000, "seed": 7, "predictive_draws": 100}
    got = model.calibrate(data, **options)
    want = cli_json("calibrate", model_path, "--data", data, "--samples", "2000", "--seed", "7",
                    "--predictive-draws", "100", "--format", "json", "--quiet")
    assert got == want
    # The same model read from its text: the same fingerprint (of the same bytes), the same
    # posterior.
    text = model_path.read_text(encoding="utf-8")
    inline = patron.Model.from_toml(text, name=str(model_path)).calibrate(data, **options)
    assert inline["model_fnv1a64"] == want["model_fnv1a64"]
    assert inline["parameters"] == want["parameters"]
    # Fewer free parameters, by path and by glob, as --free takes them.
    free = ["chain.baseline_hazard", "dyads.*.breaks_ceasefire"]
    narrow = model.calibrate(data, free=free, **options)
    assert narrow == cli_json("calibrate", model_path, "--data", data, "--samples", "2000",
                              "--seed", "7", "--predictive-draws", "100", "--free", free[0],
                              "--free", free[1], "--format", "json", "--quiet")
    breaks = [p["path"] for p in model.params()
              if p["path"].startswith("dyads.") and p["path"].endswith(".breaks_ceasefire")]
    assert [p["name"] for p in narrow["parameters"]] == ["chain.baseline_hazard"] + breaks


def test_calibrate_refuses_bad_arguments_by_name(model, model_path, tmp_path):
    with pytest.raises(patron.PatronError, match="no-such-truces.toml"):
        model.calibrate(tmp_path / "no-such-truces.toml")
    data = model_path.parent / "truces-2023-2025.toml"
    with pytest.raises(patron.PatronError, match="samples"):
        model.calibrate(data, samples=-1)
    with pytest.raises(patron.PatronError, match="free"):
        model.calibrate(data, free="chain.recovery")
    with pytest.raises(patron.PatronError, match="dyads.nobody"):
        model.calibrate(data, free=["dyads.nobody.breaks_ceasefire"], samples=10)
