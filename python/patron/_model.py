"""``patron.Model``: the patron–client model from a notebook — solve, sweep, sensitivity."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)

from . import _patron

if TYPE_CHECKING:  # typing and json load lazily: `import patron` stays fast
    from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

    PathLike = Union[str, "os.PathLike[str]"]
    VaryBounds = Optional[Tuple[float, ...]]


def _json(text: str) -> Any:
    import json

    return json.loads(text)


def _progress(progress: Optional[bool]) -> bool:
    """None: a bar only on a terminal (so not in a notebook); True/False: on or off."""
    if progress is None:
        stream = sys.stderr
        return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
    return bool(progress)


def _sets(set: Optional[Mapping[str, float]]) -> List[Tuple[str, float]]:
    if set is None:
        return []
    if not isinstance(set, Mapping):
        raise _patron.PatronError("set= takes a dict {parameter path: value}")
    out = []
    for path, value in set.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _patron.PatronError(f"set {path}: {value!r} is not a number")
        out.append((str(path), float(value)))
    return out


def _vary(vary: Union[None, Mapping[str, VaryBounds], Iterable[str]], grid: bool) -> List[Tuple[str, Any]]:
    if vary is None:
        return []
    items = vary.items() if isinstance(vary, Mapping) else ((p, None) for p in vary)
    out: List[Tuple[str, Any]] = []
    for path, bounds in items:
        if bounds is None:
            out.append((str(path), None))
            continue
        if not isinstance(bounds, (tuple, list)) or len(bounds) not in (2, 3):
            raise _patron.PatronError(
                f"vary {path}: expected (lo, hi, steps) for a grid or (lo, hi) / None with samples=, got {bounds!r}")
        lo, hi = float(bounds[0]), float(bounds[1])
        if len(bounds) == 3:
            steps = bounds[2]
            if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
                raise _patron.PatronError(f"vary {path}: steps must be a positive whole number, got {steps!r}")
            out.append((str(path), (lo, hi, int(steps))))
        else:
            out.append((str(path), (lo, hi, None)))
    return out


class Model:
    """A patron–client model file (models/README.md), loaded and validated once.

    Every method names its scenario and overrides, as the command line does: ``solve`` is
    ``patron solve MODEL --format json``, ``params`` is ``patron params --format json``,
    ``sweep`` is ``patron sweep`` (its columns are the CSV's), ``sensitivity`` is
    ``patron sensitivity --format json``.
    """

    __slots__ = ("_core",)

    def __init__(self, core: "_patron.Model") -> None:
        if not isinstance(core, _patron.Model):
            raise TypeError("use patron.Model.load(path) or patron.Model.from_toml(text)")
        self._core = core

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        """Read and validate a model file; errors name the file, line and key."""
        return cls(_patron.Model.load(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "<string>") -> "Model":
        """A model from TOML text; ``name`` stands for the file in error messages."""
        return cls(_patron.Model.from_toml(text, name))

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def file(self) -> str:
        return self._core.file

    @property
    def scenarios(self) -> List[str]:
        return self._core.scenarios

    @property
    def default_scenario(self) -> Optional[str]:
        return self._core.default_scenario

    def params(self, scenario: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every parameter: ``path``, ``value``, ``range``, ``source`` (and where the scenario
        overrides it, ``scenario``) — ``patron params MODEL --format json``."""
        return _json(self._core.params_json(scenario))

    def solve(self, scenario: Optional[str] = None, set: Optional[Mapping[str, float]] = None,
              patron_lambda: Optional[float] = None) -> Dict[str, Any]:
        """Solve one scenario with ``set={path: value}`` overrides: the dict
        ``patron solve MODEL --format json`` prints, nothing lost."""
        return _json(self._core.solve_json(scenario, _sets(set), patron_lambda))

    def sweep(self, vary: Union[None, Mapping[str, VaryBounds], Iterable[str]] = None, *,
              samples: Optional[int] = None, seed: int = 0, scenario: Optional[str] = None,
              set: Optional[Mapping[str, float]] = None, with_survival: bool = False,
              with_patron_game: bool = False, allow_outside_range: bool = False,
              progress: Optional[bool] = None) -> "Sweep":
        """Solve the model over a grid or Monte Carlo draws: ``patron sweep``.

        Grid: ``vary={path: (lo, hi, steps)}`` (several paths: a full grid, the first the outer
        loop). Monte Carlo: ``samples=N, seed=S`` with ``vary`` a list of paths (their
        declared ranges), ``{path: (lo, hi)}``, or None (every ranged parameter). Returns a
        :class:`Sweep`: one numpy column per CSV column, under the CSV's names.
        ``progress``: None shows a bar on a terminal only; True also in a notebook.
        """
        if samples is not None and (isinstance(samples, bool) or not isinstance(samples, int) or samples < 0):
            raise _patron.PatronError(f"samples must be a whole number ≥ 0, got {samples!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise _patron.PatronError(f"seed must be a whole number ≥ 0, got {seed!r}")
        columns = self._core.sweep_columns(
            _vary(vary, samples is None), _sets(set), samples, seed, scenario, with_survival,
            with_patron_game, allow_outside_range, _progress(progress))
        return Sweep(columns)

    def sensitivity(self, output: str = "ceasefire.optimal.p_hold", *, samples: int = 1000,
                    seed: int = 0, scenario: Optional[str] = None,
                    set: Optional[Mapping[str, float]] = None, allow_outside_range: bool = False,
                    progress: Optional[bool] = None) -> Dict[str, Any]:
        """Swings and Sobol indices of one output: the dict ``patron sensitivity --format
        json`` prints (``swings``, ``sobol``, ``base``, …)."""
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 0:
            raise _patron.PatronError(f"samples must be a whole number ≥ 0, got {samples!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise _patron.PatronError(f"seed must be a whole number ≥ 0, got {seed!r}")
        return _json(self._core.sensitivity_json(
            output, samples, seed, _sets(set), scenario, allow_outside_range, _progress(progress)))

    def calibrate(self, data: PathLike, *, free: Optional[Iterable[str]] = None,
                  samples: int = 20000, seed: int = 1, min_ess: Optional[float] = None,
                  particles: int = 4000, predictive_draws: int = 2000,
                  backtest: bool = False) -> Dict[str, Any]:
        """Hold the model against observed truces (a truce data file, models/README.md): the
        dict ``patron calibrate MODEL --data DATA --format json`` prints — the posterior of the
        ``free`` parameters (paths or globs; None: the command line's default set) with its
        summaries, the prior and posterior predictive bands of every scenario (``"q05"``–
        ``"q95"`` is a 90% band), and with ``backtest=True`` the leave-one-truce-out backtest.
        Long runs release the GIL and stop on Ctrl-C."""
        for name, value in (("samples", samples), ("seed", seed), ("particles", particles),
                            ("predictive_draws", predictive_draws)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _patron.PatronError(f"{name} must be a whole number ≥ 0, got {value!r}")
        if isinstance(free, str):
            raise _patron.PatronError("free must be a list of parameter paths or globs, not one string")
        return _json(self._core.calibrate_json(
            os.fspath(data), [str(p) for p in (free or [])], samples, seed,
            None if min_ess is None else float(min_ess), particles, predictive_draws,
            bool(backtest)))

    def __repr__(self) -> str:
        return f"<patron.Model {self.name!r} from {self.file}>"


class Sweep(Mapping):  # Mapping[str, numpy.ndarray]
    """A sweep's rows as columns: ``sweep["ceasefire.optimal.p_hold"]`` is a numpy array.

    Names and order are the CSV's (``point``, the varied parameters, the outputs, ``error``);
    numbers are float64 (NaN where the CSV cell is empty) or int64 (``point``, counts), text
    columns are object arrays (None where empty). ``to_pandas()`` gives a DataFrame.
    """

    def __init__(self, columns: Sequence[Tuple[str, str, Any]]) -> None:
        import numpy as np

        self._columns: Dict[str, Any] = {}
        for name, kind, data in columns:
            if kind == "f8":
                array = np.frombuffer(data, dtype=np.float64).copy()
            elif kind == "i8":
                array = np.frombuffer(data, dtype=np.int64).copy()
            else:
                array = np.empty(len(data), dtype=object)
                array[:] = data
            self._columns[name] = array

    @property
    def columns(self) -> List[str]:
        """Column names in the CSV's order."""
        return list(self._columns)

    def __getitem__(self, name: str) -> Any:
        try:
            return self._columns[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; the columns are {self.columns}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    @property
    def rows(self) -> int:
        """The number of points (rows)."""
        first = next(iter(self._columns.values()), None)
        return 0 if first is None else len(first)

    def to_pandas(self) -> Any:
        """A pandas DataFrame with these columns (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Sweep.to_pandas() needs pandas: pip install pandas") from e
        return pd.DataFrame(self._columns, copy=False)

    def __repr__(self) -> str:
        return f"<patron.Sweep {self.rows} rows × {len(self._columns)} columns>"
