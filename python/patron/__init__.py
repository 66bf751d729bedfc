"""patron — exact, certified game-theory solvers and the patron–client model, from Python.

Games (shaped like pygambit)::

    import patron
    g = patron.read_game("prisoners.nfg")            # or patron.Game.from_arrays(A, B)
    result = patron.nash.enummixed_solve(g)
    eq = result.equilibria[0]
    eq["Player 1"]["Cooperate"], eq.payoffs, eq.regret  # exact Fractions

The model::

    m = patron.Model.load("models/gaza-2024.toml")
    m.solve(scenario="ceasefire")                     # the dict of `patron solve --format json`
    df = m.sweep(vary={"dyads.us_israel.credibility": (0.3, 0.8, 11)}).to_pandas()

Errors are :class:`PatronError` (a ``ValueError``) with the command line's message.
Guide and reference: docs/python.md.
"""

from . import _patron
from ._patron import PatronError, __version__
from ._game import Game, parse_game, read_game
from ._model import Model, Sweep
from ._results import Commitment, CorrelatedEquilibrium, Equilibrium, LogitBranch, Result
from . import nash

__all__ = [
    "Game", "read_game", "parse_game", "Model", "Sweep", "nash", "PatronError",
    "Result", "Equilibrium", "Commitment", "CorrelatedEquilibrium", "LogitBranch", "__version__",
]
