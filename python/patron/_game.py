"""``patron.Game``: a game read from a Gambit file or built from payoff tables."""

from __future__ import annotations

import math
import os
from numbers import Integral, Rational
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)

from . import _patron

if TYPE_CHECKING:  # typing loads lazily: `import patron` stays fast
    from typing import Any, List, Optional, Sequence, Tuple, Union

    PathLike = Union[str, "os.PathLike[str]"]


class Game:
    """A strategic game (``.nfg``) or a game tree (``.efg``); immutable.

    ``players`` and ``strategies`` are labels (a tree's strategies are those of its reduced
    strategic form, as in ``patron solve --format json``); ``is_tree`` tells which kind it is.
    """

    __slots__ = ("_core",)

    def __init__(self, core: "_patron.Game") -> None:
        if not isinstance(core, _patron.Game):
            raise TypeError("use patron.read_game(path) or patron.Game.from_arrays(...)")
        self._core = core

    @property
    def title(self) -> str:
        return self._core.title

    @property
    def players(self) -> List[str]:
        return self._core.players

    @property
    def strategies(self) -> List[List[str]]:
        return self._core.strategies

    @property
    def is_tree(self) -> bool:
        return self._core.is_tree

    def to_nfg(self) -> str:
        """The game in Gambit's .nfg format (payoff version; a tree: its reduced strategic form)."""
        return self._core.to_nfg()

    def to_efg(self) -> str:
        """The tree in Gambit's .efg format (trees only: a strategic game raises PatronError)."""
        return self._core.to_efg()

    @classmethod
    def from_arrays(cls, *tables: Any, title: Optional[str] = None,
                    players: Optional[Sequence[str]] = None,
                    strategies: Optional[Sequence[Sequence[str]]] = None) -> "Game":
        """A strategic game from one payoff table per player, as pygambit's ``Game.from_arrays``.

        With n players each table is an n-dimensional nested list or numpy array of shape
        (strategies of player 1, …, strategies of player n); ``tables[p][i1]…[in]`` is player
        p's payoff. Entries are ints, ``fractions.Fraction``s, ``decimal.Decimal``s or floats; a
        float is taken as the decimal it prints as (``0.1`` is 1/10, not the binary double), as
        a Gambit file would read it. Players default to "Player 1", …; strategies to "1", "2", ….
        """
        if not tables:
            raise _patron.PatronError("from_arrays needs one payoff table per player")
        n = len(tables)
        fast = [_numeric_array(t) for t in tables]
        nested = [None if f is not None else (t.tolist() if hasattr(t, "tolist") else t)
                  for t, f in zip(tables, fast)]
        shapes = [f.shape if f is not None else _shape(t, f"table {p + 1}")
                  for p, (t, f) in enumerate(zip(nested, fast))]
        shape = shapes[0]
        for p, other in enumerate(shapes[1:], start=2):
            if other != shape:
                raise _patron.PatronError(
                    f"table {p} has shape {other}, table 1 has shape {shape}: every table must have one shape")
        if len(shape) != n:
            raise _patron.PatronError(
                f"{n} payoff tables need {n} dimensions each (one per player), got shape {shape}")
        player_names = list(players) if players is not None else [f"Player {i + 1}" for i in range(n)]
        labels = ([list(s) for s in strategies] if strategies is not None
                  else [[str(k + 1) for k in range(c)] for c in shape])
        if len(player_names) != n:
            raise _patron.PatronError(f"players: {len(player_names)} names for {n} players")
        if [len(s) for s in labels] != list(shape):
            raise _patron.PatronError(
                f"strategies: {[len(s) for s in labels]} labels per player for tables of shape {shape}")
        payoffs = [_numeric_payoffs(f, f"table {p + 1}") if f is not None
                   else _flatten_player1_fastest(t, shape, f"table {p + 1}")
                   for p, (t, f) in enumerate(zip(nested, fast))]
        return cls(_patron.game_from_tables(title or "", player_names, labels, payoffs))

    def __repr__(self) -> str:
        kind = "tree" if self.is_tree else "strategic game"
        return f"<patron.Game {kind} {self.title!r}: players {self.players}>"


def read_game(path: PathLike) -> Game:
    """Read a Gambit game file (.nfg or .efg; the file's header decides, as in Gambit)."""
    return Game(_patron.read_game(os.fspath(path)))


def parse_game(text: str) -> Game:
    """A game from the text of a Gambit .nfg or .efg file."""
    return Game(_patron.parse_game(text))


def _shape(table: Any, where: str) -> Tuple[int, ...]:
    """The shape of a rectangular nested list; ragged or empty tables are refused by name."""
    if not isinstance(table, (list, tuple)):
        return ()
    if len(table) == 0:
        raise _patron.PatronError(f"{where}: a player needs at least one strategy (an empty dimension)")
    inner = [_shape(row, where) for row in table]
    if any(s != inner[0] for s in inner):
        raise _patron.PatronError(f"{where}: ragged table (rows of different shapes {sorted(set(inner))})")
    return (len(table),) + inner[0]


def _numeric_array(table: Any) -> Any:
    """``table`` itself when it is a numpy array of integers or floats (the fast path), else None."""
    kind = getattr(getattr(table, "dtype", None), "kind", None)
    return table if kind in ("i", "u", "f") and table.ndim > 0 and table.size > 0 else None


def _numeric_payoffs(array: Any, where: str) -> List[Any]:
    """A numpy table's payoffs in Gambit's profile order (player 1's strategy fastest): ints,
    or floats that the native module reads as the decimals they print as."""
    flat = array.ravel(order="F")  # Fortran order: the first index varies fastest
    if array.dtype.kind == "f":
        import numpy as np

        if not np.isfinite(flat).all():
            bad = flat[~np.isfinite(flat)][0]
            raise _patron.PatronError(f"{where}: payoff {bad} is not a finite number (NaN or infinity)")
        flat = flat.astype(np.float64)
    return flat.tolist()


def _flatten_player1_fastest(table: Any, shape: Tuple[int, ...], where: str) -> List[Any]:
    """Payoffs in Gambit's profile order (player 1's strategy varies fastest)."""
    out: List[Any] = []
    count = math.prod(shape)
    for index in range(count):
        cell = table
        rest = index
        for size in shape:
            cell = cell[rest % size]
            rest //= size
        out.append(_payoff(cell, where))
    return out


def _payoff(value: Any, where: str) -> Any:
    """A payoff as the native module takes it: an int, a finite float (read as the decimal it
    prints as: 0.1 is 1/10), or an exact rational's text (``p/q``) for a Fraction or Decimal."""
    if isinstance(value, bool) or isinstance(value, (str, bytes)):
        raise _patron.PatronError(f"{where}: payoff {value!r} is not a number")
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _patron.PatronError(f"{where}: payoff {value} is not a finite number (NaN or infinity)")
        return value
    from fractions import Fraction

    if isinstance(value, Rational):
        q = Fraction(value.numerator, value.denominator)
    elif type(value).__name__ == "Decimal" and hasattr(value, "is_finite"):
        if not value.is_finite():
            raise _patron.PatronError(f"{where}: payoff {value} is not a finite number")
        q = Fraction(value)
    else:
        raise _patron.PatronError(
            f"{where}: payoff {value!r} of type {type(value).__name__} is not an int, Fraction, Decimal or float")
    return f"{q.numerator}/{q.denominator}"
