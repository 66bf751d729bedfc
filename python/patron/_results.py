"""Result objects: what ``patron solve GAME --format json`` prints, as Python objects.

Every field keeps the JSON's name and meaning (``docs/output.md``); numbers that the JSON
writes as exact text (``"1/3"``) become :class:`fractions.Fraction`, approximate ones
(``exact: false``: logit, irrational ``enumpoly`` points) become ``float``.

A strategic game's Nash solution stays in Rust (``_patron.Solution``) until a field is read:
each field becomes Python numbers on first access (then cached), ``as_array()`` goes from the
solver's floats to numpy directly, and the JSON document is built only when ``json`` is read
(once, by the :class:`Result`, whose equilibria share it). Trees and the other concepts arrive
as the JSON document itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)

if TYPE_CHECKING:  # typing and fractions load lazily: `import patron` stays fast
    from fractions import Fraction
    from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

    Number = Union[Fraction, float]


def number(text: Optional[str], exact: bool = True) -> Any:
    """One JSON number text as a Fraction (exact) or float (approximate); None stays None."""
    if text is None:
        return None
    from fractions import Fraction

    if exact:
        return Fraction(text)
    return float(Fraction(text)) if "/" in text else float(text)


def numbers(value: Any, exact: bool = True) -> Any:
    """Nested lists of number texts, converted leaf by leaf."""
    if isinstance(value, list):
        return [numbers(v, exact) for v in value]
    return number(value, exact)


def _float64_array(data: bytearray) -> Any:
    """A numpy float64 array over native-endian bytes, without a copy. numpy is imported on
    the first call (so `import patron` does not load it); the function then replaces itself
    with one that has numpy's reader and the dtype at hand."""
    global _float64_array
    import numpy as np

    def read(data: bytearray, frombuffer: Any = np.frombuffer,
             float64: Any = np.dtype(np.float64)) -> Any:
        return frombuffer(data, float64)

    _float64_array = read
    return read(data)


class _LabelRow(Mapping):  # Mapping[str | int, Number]
    """One player's probabilities, indexed by strategy label or position."""

    __slots__ = ("_labels", "_values")

    def __init__(self, labels: Sequence[str], values: Sequence[Number]) -> None:
        self._labels = list(labels)
        self._values = list(values)

    def __getitem__(self, key: Union[str, int]) -> Number:
        if isinstance(key, int):
            return self._values[key]
        try:
            return self._values[self._labels.index(key)]
        except ValueError:
            raise KeyError(f"no strategy {key!r}; the strategies are {self._labels}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self._labels, self._values)) + "}"


class Equilibrium(Mapping):  # Mapping[str | int, _LabelRow]
    """A certified equilibrium: ``profile`` (per player, per strategy), ``payoffs``,
    ``regret`` (largest gain from deviating), ``exact``; on trees also ``behaviour``
    (per player, information set, action), ``agent_regret`` and ``beliefs``.

    ``eq["Player 1"]["Swerve"]`` reads one probability by labels; ``eq.as_array()`` gives the
    whole profile as floats.
    """

    def __init__(self, doc: Dict[str, Any], players: Sequence[str],
                 strategies: Optional[Sequence[Sequence[str]]], rational: bool = True) -> None:
        self._json = doc
        self._exact = bool(doc.get("exact", False))
        self._players = list(players)
        self._strategies = [list(s) for s in strategies] if strategies is not None else None
        self._rational = rational
        self._numbers = {}

    # What an equilibrium of a native solution has not read yet (class defaults: building one
    # sets three attributes, so that a caller who wants arrays pays for little else). It
    # points at the native solution and the game, not at its result: no reference cycle, so
    # CPython frees a result by reference counting alone.
    _solution: Any = None
    _index: int = 0
    _game: Any = None
    _rational: bool = True
    _json: Optional[Dict[str, Any]] = None
    _exact: Optional[bool] = None
    _players: Optional[List[str]] = None
    _strategies: Optional[List[List[str]]] = None
    _numbers: Optional[Dict[str, Any]] = None


    @property
    def exact(self) -> bool:
        """Whether the numbers are exact (the solver's arithmetic, after certification)."""
        if self._exact is None:
            self._exact = self._solution.is_exact(self._index)
        return self._exact

    @property
    def json(self) -> Dict[str, Any]:
        """This equilibrium's object in the JSON of ``patron solve --format json``."""
        if self._json is None:
            self._json = self._solution.document()["equilibria"][self._index]
        return self._json

    @property
    def players(self) -> List[str]:
        if self._players is None:
            self._players = list(self._game.players)
        return self._players

    @property
    def strategies(self) -> Optional[List[List[str]]]:
        if self._strategies is None and self._solution is not None:
            self._strategies = [list(s) for s in self._game.strategies]
        return self._strategies

    _NATIVE = {"profile": "profile_text", "payoffs": "payoffs_text", "regret": "regret_text"}

    def _field(self, name: str) -> Any:
        """One field as numbers, converted on first use (most callers read few)."""
        if self._numbers is None:
            self._numbers = {}
        elif name in self._numbers:
            return self._numbers[name]
        if self._solution is None:
            text = self._json.get(name)  # type: ignore[union-attr]
        else:
            reader = self._NATIVE.get(name)  # a strategic game's equilibrium has no tree fields
            text = getattr(self._solution, reader)(self._index) if reader else None
        # rational=False: exact numbers become floats
        value = numbers(text, self.exact and self._rational)
        self._numbers[name] = value
        return value

    @property
    def profile(self) -> Optional[List[List[Number]]]:
        """Per player, per strategy: the probabilities (None when a tree's reduced form was too big)."""
        return self._field("profile")

    @property
    def payoffs(self) -> List[Number]:
        return self._field("payoffs")

    @property
    def regret(self) -> Number:
        """The largest gain any player has from deviating, recomputed independently (0 when exact)."""
        return self._field("regret")

    @property
    def behaviour(self) -> Optional[List[List[List[Number]]]]:
        """Trees: per player, information set, action."""
        return self._field("behaviour")

    @property
    def agent_regret(self) -> Optional[Number]:
        return self._field("agent_regret")

    @property
    def beliefs(self) -> Optional[List[List[Optional[List[Number]]]]]:
        return self._field("beliefs")

    def _player(self, key: Union[str, int]) -> int:
        if isinstance(key, int):
            return key
        try:
            return self.players.index(key)
        except ValueError:
            raise KeyError(f"no player {key!r}; the players are {self.players}") from None

    def __getitem__(self, key: Union[str, int]) -> _LabelRow:
        if self.profile is None or self.strategies is None:
            raise KeyError("this equilibrium has no strategic-form profile (the reduced form was too big)")
        p = self._player(key)
        return _LabelRow(self.strategies[p], self.profile[p])

    def __iter__(self) -> Iterator[str]:
        return iter(self.players)

    def __len__(self) -> int:
        return len(self.players)

    def as_array(self) -> Any:
        """The profile as one numpy float array: player 1's strategies first (the CSV's order)."""
        if self._solution is not None:  # the solver's floats, without Python numbers between
            return _float64_array(self._solution.profile_bytes(self._index))
        import numpy as np

        if self.profile is None:
            raise ValueError("this equilibrium has no strategic-form profile")
        return np.array([float(x) for row in self.profile for x in row], dtype=np.float64)

    def as_arrays(self) -> tuple:
        """The profile as one numpy float array per player (Nashpy's shape)."""
        import numpy as np

        if self.profile is None or self.strategies is None:
            raise ValueError("this equilibrium has no strategic-form profile")
        flat = self.as_array()
        ends = list(itertools.accumulate(len(s) for s in self.strategies))
        return tuple(flat[end - len(s):end] for end, s in zip(ends, self.strategies))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Equilibrium) and self.json == other.json

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        rows = []
        for p, player in enumerate(self.players):
            if self.profile is not None and self.strategies is not None:
                cells = ", ".join(f"{s}: {x}" for s, x in zip(self.strategies[p], self.profile[p]))
                rows.append(f"{player}: {{{cells}}}")
        return f"Equilibrium({'; '.join(rows)}; regret {self.regret})"


class Result:
    """What a solver returns: ``method``, ``parameters`` (the options it ran with),
    ``equilibria``, ``complete`` (False when a time budget or ``stop_after`` cut the list
    short, or enumpoly met equilibria that are not isolated), ``values`` (``lp``: each
    player's value), and ``json``: the document ``patron solve --format json`` prints.
    """

    # A native result's document, built when read.
    _json: Optional[Dict[str, Any]] = None
    _solution: Any = None

    def __init__(self, doc: Dict[str, Any], parameters: Dict[str, Any],
                 equilibria: List[Any], complete: bool = True) -> None:
        self._json = doc
        self.method: str = doc.get("method", "")
        self.parameters: Dict[str, Any] = parameters
        self.equilibria: List[Any] = equilibria
        self.complete: bool = complete

    @classmethod
    def _solved(cls, solution: Any, game: Any, method: str, complete: bool,
                parameters: Dict[str, Any], rational: bool, kept: int) -> "Result":
        """A result around a native ``_patron.Solution`` of the strategic ``game`` (its JSON
        built when read), with its first ``kept`` equilibria."""
        self = cls.__new__(cls)
        self._solution = solution
        self.method = method
        self.parameters = parameters
        self.complete = complete
        new = object.__new__
        equilibria = []
        for i in range(kept):
            eq = new(Equilibrium)
            eq._solution = solution
            eq._index = i
            eq._game = game
            if not rational:
                eq._rational = False
            equilibria.append(eq)
        self.equilibria = equilibria
        return self

    @property
    def json(self) -> Dict[str, Any]:
        """The document ``patron solve --format json`` prints."""
        if self._json is None:
            self._json = self._solution.document()
        return self._json

    @property
    def values(self) -> Optional[List[Fraction]]:
        """``lp``: each player's value (None for the other solvers)."""
        if self._solution is not None:
            values = self._solution.values()
        else:
            values = self.json.get("values")
        return numbers(values) if values is not None else None

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.equilibria)

    def __getitem__(self, i: int) -> Any:
        return self.equilibria[i]

    def __repr__(self) -> str:
        tail = "" if self.complete else ", incomplete"
        return f"<Result {self.method}: {len(self.equilibria)} equilibria{tail}>"


class Commitment:
    """A leader's optimal commitment (``stackelberg_solve``): the JSON's fields, numbers as
    Fractions when exact."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self.json = doc
        self.exact: bool = bool(doc["exact"])
        self.leader_strategies: List[str] = doc["leader_strategies"]
        self.commitment: List[Number] = numbers(doc["commitment"], self.exact)
        self.leader_value: Number = number(doc["leader_value"], self.exact)
        self.follower_types: List[str] = doc["follower_types"]
        self.responses: List[str] = doc["responses"]
        self.follower_values: List[Number] = numbers(doc["follower_values"], self.exact)

    def __getitem__(self, strategy: str) -> Number:
        return self.commitment[self.leader_strategies.index(strategy)]

    def __repr__(self) -> str:
        cells = ", ".join(f"{s}: {x}" for s, x in zip(self.leader_strategies, self.commitment))
        return f"Commitment({cells}; leader's value {self.leader_value})"


class CorrelatedEquilibrium:
    """A mediator's recommendation (``correlated_solve``): ``distribution`` as (profile
    labels, probability) pairs, ``payoffs``, ``objective``, ``regret``, ``exact``, and
    ``vertices`` when asked."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self.json = doc
        self.exact: bool = bool(doc["exact"])
        self.distribution: List[tuple] = [
            (tuple(d["profile"]), number(d["probability"], self.exact)) for d in doc["distribution"]]
        self.payoffs: List[Number] = numbers(doc["payoffs"], self.exact)
        self.objective: Number = number(doc["objective"], self.exact)
        self.regret: Number = number(doc["regret"], self.exact)
        vertices = doc.get("vertices")
        self.vertices: Optional[List[List[Fraction]]] = numbers(vertices) if vertices is not None else None

    def __repr__(self) -> str:
        return f"CorrelatedEquilibrium({dict(self.distribution)}; payoffs {self.payoffs})"


class LogitBranch:
    """The principal branch of the logit correspondence: ``lambdas`` and one profile per λ."""

    def __init__(self, points: List[tuple], players: Sequence[str],
                 strategies: Sequence[Sequence[str]]) -> None:
        self.lambdas: List[float] = [p[0] for p in points]
        self.profiles: List[List[List[float]]] = [p[1] for p in points]
        self.players = list(players)
        self.strategies = [list(s) for s in strategies]

    def __len__(self) -> int:
        return len(self.lambdas)

    def as_array(self) -> Any:
        """A (points × 1 + strategies) float array: λ, then every strategy's probability."""
        import numpy as np

        return np.array([[lam] + [x for row in prof for x in row]
                         for lam, prof in zip(self.lambdas, self.profiles)], dtype=np.float64)
