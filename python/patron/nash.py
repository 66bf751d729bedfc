"""Equilibrium solvers under pygambit's names (``pygambit.nash``): swap the import, keep the calls.

Each solver runs the same code as ``patron solve GAME --method M`` and returns a
:class:`~patron.Result` whose ``json`` is what ``--format json`` prints. Every equilibrium is
certified (its regret recomputed independently of the solver) before it is returned.

Long solves release the GIL (other Python threads run meanwhile) and stop on Ctrl-C with
``KeyboardInterrupt``. ``max_seconds`` is the command line's ``--max-seconds``: the enumerating
solvers stop then and return what they found, with ``complete`` False.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)

from . import _patron
from ._game import Game
from ._results import Commitment, CorrelatedEquilibrium, Equilibrium, LogitBranch, Result

if TYPE_CHECKING:  # typing and json load lazily: `import patron` stays fast
    from typing import Any, Dict, List, Optional, Sequence


def _json(text: str) -> Any:
    import json

    return json.loads(text)

__all__ = [
    "solve", "enumpure_solve", "enummixed_solve", "enumpoly_solve", "lcp_solve", "lp_solve",
    "logit_solve", "logit_solve_lambda", "logit_solve_branch", "stackelberg_solve",
    "correlated_solve", "spe_solve", "gnm_solve", "ipa_solve", "simpdiv_solve", "liap_solve",
    "liap_agent_solve",
]


def _core(game: Game) -> "_patron.Game":
    if not isinstance(game, Game):
        raise TypeError(f"expected a patron.Game, got {type(game).__name__} "
                        "(read one with patron.read_game or build one with patron.Game.from_arrays)")
    return game._core


def _stop_after(stop_after: Optional[int]) -> Optional[int]:
    if stop_after is None:
        return None
    if isinstance(stop_after, bool) or not isinstance(stop_after, int) or stop_after < 1:
        raise _patron.PatronError(f"stop_after must be a positive whole number, got {stop_after!r}")
    return stop_after


def _nash(game: Game, method: Optional[str], parameters: Dict[str, Any], *,
          rational: bool = True, stop_after: Optional[int] = None, max_seconds: Optional[float] = None,
          all_labels: bool = False, agent: bool = False, use_strategic: bool = False) -> Result:
    stop = None if stop_after is None else _stop_after(stop_after)
    if use_strategic and game.is_tree:
        game = _strategic(game)
    core = _core(game)
    found = _patron.solve_nash(core, method, all_labels, agent, max_seconds)
    parameters["rational"] = rational
    parameters["stop_after"] = stop_after
    parameters["max_seconds"] = max_seconds
    return _result(found, core, parameters, rational, stop)


def _strategic(game: Game) -> Game:
    """A tree's reduced strategic form (``use_strategic=True``)."""
    from ._game import parse_game

    return parse_game(game.to_nfg())


def _result(found: Any, core: "_patron.Game", parameters: Dict[str, Any], rational: bool,
            stop: Optional[int]) -> Result:
    """The :class:`Result` of what ``_patron.solve_nash`` ``found`` on the game ``core``, with
    its first ``stop`` equilibria (all for None)."""
    solution, summary = found
    if summary is None:  # a tree: its JSON document
        doc = solution.document()
        players = doc["game"]["players"]
        strategies = doc["game"]["strategies"]
        count = len(doc["equilibria"])
        kept = count if stop is None else min(count, stop)
        equilibria = [Equilibrium(e, players, strategies, rational) for e in doc["equilibria"][:kept]]
        result = Result(doc, parameters, equilibria, bool(doc["complete"]))
    else:
        method, complete, count = summary
        kept = count if stop is None else min(count, stop)
        result = Result._solved(solution, core, method, complete, parameters, rational, kept)
    if kept < count:
        result.complete = False
    return result


def solve(game: Game, method: Optional[str] = None, *, rational: bool = True,
          stop_after: Optional[int] = None, max_seconds: Optional[float] = None) -> Result:
    """``patron solve GAME [--method M]``: with no method, the command line's default (strategic
    games: enummixed for two players, enumpoly for more while small, else enumpure; trees: spe
    with perfect information, else lcp for two players, else enumpure)."""
    return _nash(game, method, {"method": method}, rational=rational, stop_after=stop_after,
                 max_seconds=max_seconds)


def enumpure_solve(game: Game, *, agent: bool = False, use_strategic: bool = False,
                   rational: bool = True, stop_after: Optional[int] = None,
                   max_seconds: Optional[float] = None) -> Result:
    """Every pure-strategy Nash equilibrium (gambit-enumpure). On a tree: of its reduced
    strategic form, or with ``agent=True`` of its agent form (weaker than Nash; see
    docs/output.md)."""
    return _nash(game, "enumpure", {"agent": agent}, rational=rational, stop_after=stop_after,
                 max_seconds=max_seconds, agent=agent, use_strategic=use_strategic)


def enummixed_solve(game: Game, *, rational: bool = True, stop_after: Optional[int] = None,
                    max_seconds: Optional[float] = None, use_strategic: bool = False) -> Result:
    """Every extreme Nash equilibrium of a two-player game, exact (gambit-enummixed)."""
    return _nash(game, "enummixed", {}, rational=rational, stop_after=stop_after,
                 max_seconds=max_seconds, use_strategic=use_strategic)


def enumpoly_solve(game: Game, *, rational: bool = True, stop_after: Optional[int] = None,
                   max_seconds: Optional[float] = None, use_strategic: bool = False) -> Result:
    """Every isolated Nash equilibrium of a game with any number of players, by support
    enumeration and certified root isolation (gambit-enumpoly); exact where rational."""
    return _nash(game, "enumpoly", {}, rational=rational, stop_after=stop_after,
                 max_seconds=max_seconds, use_strategic=use_strategic)


def lcp_solve(game: Game, *, all_labels: bool = False, rational: bool = True,
              stop_after: Optional[int] = None, max_seconds: Optional[float] = None,
              use_strategic: bool = False) -> Result:
    """One equilibrium of a two-player game by Lemke–Howson (gambit-lcp); ``all_labels``: the
    distinct ones reached by dropping each label. A tree is solved in its sequence form."""
    return _nash(game, "lcp", {"all_labels": all_labels}, rational=rational, stop_after=stop_after,
                 max_seconds=max_seconds, all_labels=all_labels, use_strategic=use_strategic)


def lp_solve(game: Game, *, rational: bool = True, use_strategic: bool = False) -> Result:
    """The value and optimal strategies of a two-player constant-sum game (gambit-lp);
    ``result.values`` holds each player's value."""
    return _nash(game, "lp", {}, rational=rational, use_strategic=use_strategic)


def spe_solve(game: Game, *, rational: bool = True, stop_after: Optional[int] = None,
              max_seconds: Optional[float] = None) -> Result:
    """Every pure subgame-perfect equilibrium of a tree with perfect information, by backward
    induction over all ties."""
    return _nash(game, "spe", {}, rational=rational, stop_after=stop_after, max_seconds=max_seconds)


def logit_solve_lambda(game: Game, lam: float) -> Result:
    """The logit quantal response equilibrium at precision ``lam`` on the principal branch
    (``patron solve --method logit --lambda L``); approximate, so numbers are floats."""
    _check_lambda("lam", lam)
    doc = _json(_patron.solve_logit(_core(game), float(lam)))
    eq_doc = {"profile": doc["profile"], "payoffs": doc["payoffs"], "regret": doc["regret"], "exact": False}
    eq = Equilibrium(eq_doc, doc["game"]["players"], doc["game"]["strategies"], rational=False)
    return Result(doc, {"lam": lam}, [eq], True)


def logit_solve_branch(game: Game, to_lambda: float) -> LogitBranch:
    """The principal branch of the logit correspondence from λ = 0 up to ``to_lambda``
    (``patron solve --method logit --to-lambda L``)."""
    _check_lambda("to_lambda", to_lambda)
    points = _patron.logit_branch(_core(game), float(to_lambda))
    return LogitBranch(points, game.players, game.strategies)


def logit_solve(game: Game, lam: Optional[float] = None, *, to_lambda: Optional[float] = None) -> Any:
    """Quantal response: at one precision ``lam`` (a :class:`Result`), or the branch up to
    ``to_lambda`` (a :class:`LogitBranch`)."""
    if (lam is None) == (to_lambda is None):
        raise _patron.PatronError("logit_solve needs exactly one of lam= (one point) or to_lambda= (the branch)")
    if lam is not None:
        return logit_solve_lambda(game, lam)
    return logit_solve_branch(game, to_lambda)  # type: ignore[arg-type]


def _check_lambda(name: str, value: Any) -> None:
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise _patron.PatronError(f"{name} must be a finite number ≥ 0, got {value!r}")


def stackelberg_solve(game: Game, *, leader: int = 1) -> Result:
    """The leader's optimal commitment (strong Stackelberg) in a two-player game
    (``--method stackelberg --leader N``); ``result.equilibria[0]`` is a :class:`Commitment`."""
    if isinstance(leader, bool) or leader not in (1, 2):
        raise _patron.PatronError(f"leader must be 1 or 2, got {leader!r}")
    doc = _json(_patron.solve_stackelberg(_core(game), leader))
    return Result(doc, {"leader": leader}, [Commitment(doc)], True)


def correlated_solve(game: Game, *, objective: str = "welfare", vertices: bool = False) -> Result:
    """A correlated equilibrium maximising ``objective`` ("welfare" or weights "w1,w2,…"), by
    LP (``--method correlated``); ``vertices=True`` also lists the polytope's extreme points."""
    doc = _json(_patron.solve_correlated(_core(game), objective, vertices))
    return Result(doc, {"objective": objective, "vertices": vertices}, [CorrelatedEquilibrium(doc)], True)



# Gambit's approximate solvers for any number of players. pygambit passes a start or a
# perturbation as a profile object of the game; here it is nested lists, one list per player
# (per information set for ``liap_agent_solve``), of ints, floats, Fractions or exact text.


def gnm_solve(game: Game, perturbation: Optional[Sequence[Sequence[Any]]] = None, *,
              end_lambda: float = -10.0, steps: int = 100, local_newton_interval: int = 3,
              local_newton_maxits: int = 10, max_seconds: Optional[float] = None) -> Result:
    """The equilibria on Govindan & Wilson's global Newton path (gambit-gnm,
    ``pygambit.nash.gnm_solve``): traced from the game perturbed towards ``perturbation``
    (default: 1 on each player's first strategy; only its direction matters) down to
    ``end_lambda``. Floats, each certified. On a tree: its reduced strategic form, one weight
    per reduced strategy. ``max_seconds`` stops the path with what it found, ``complete``
    False."""
    flags = {"perturbation": None if perturbation is None else _weights(perturbation),
             "end_lambda": end_lambda, "steps": steps,
             "local_newton_interval": local_newton_interval,
             "local_newton_maxits": local_newton_maxits}
    return _approximate(game, "gnm", flags, max_seconds)


def ipa_solve(game: Game, perturbation: Optional[Sequence[Sequence[Any]]] = None, *,
              max_seconds: Optional[float] = None) -> Result:
    """One equilibrium by iterated polymatrix approximation (gambit-ipa,
    ``pygambit.nash.ipa_solve``) from ``perturbation`` (default: each player's first
    strategy). On a tree: its reduced strategic form."""
    flags = {"perturbation": None if perturbation is None else _weights(perturbation)}
    return _approximate(game, "ipa", flags, max_seconds)


def simpdiv_solve(game: Game, start: Optional[Sequence[Sequence[Any]]] = None, *,
                  maxregret: Optional[float] = None, refine: int = 2, leash: Optional[int] = None,
                  max_seconds: Optional[float] = None) -> Result:
    """One approximate equilibrium by simplicial subdivision (gambit-simpdiv,
    ``pygambit.nash.simpdiv_solve``) from ``start`` (default: the centroid), on an exact
    path; ``maxregret`` is a fraction of the payoff range (default as the command line's,
    Gambit's), then polished and certified. On a tree: its reduced strategic form."""
    flags = {"start": None if start is None else _start(start), "max_regret": maxregret,
             "refine": refine, "leash": leash}
    return _approximate(game, "simpdiv", flags, max_seconds)


def liap_solve(game: Game, start: Optional[Sequence[Sequence[Any]]] = None, *,
               maxregret: float = 1e-4, maxiter: int = 1000,
               max_seconds: Optional[float] = None) -> Result:
    """An equilibrium by minimising the Lyapunov function (gambit-liap,
    ``pygambit.nash.liap_solve``) from ``start`` (default: the centroid); none when the
    minimum found is not within ``maxregret`` (a fraction of the payoff range). On a tree:
    its reduced strategic form."""
    flags = {"start": None if start is None else _start(start), "max_regret": maxregret,
             "max_iter": maxiter}
    return _approximate(game, "liap", flags, max_seconds)


def liap_agent_solve(game: Game, start: Optional[Sequence[Sequence[Any]]] = None, *,
                     maxregret: float = 1e-4, maxiter: int = 1000,
                     max_seconds: Optional[float] = None) -> Result:
    """On a tree: minimise the agent form's Lyapunov function over behaviour strategies
    (gambit-liap without -S, ``pygambit.nash.liap_agent_solve``) from ``start`` (one list per
    information set, default: each uniform); answers are kept only when they certify as Nash
    equilibria within ``maxregret``."""
    flags = {"start": None if start is None else _start(start), "max_regret": maxregret,
             "max_iter": maxiter}
    return _approximate(game, "liap", flags, max_seconds, agent=True)


def _approximate(game: Game, method: str, flags: Dict[str, Any], max_seconds: Optional[float],
                 agent: bool = False) -> Result:
    core = _core(game)
    given = {k: v for k, v in flags.items() if v is not None}
    found = _patron.solve_approximate(core, method, agent, max_seconds, **given)
    parameters = dict(flags, max_seconds=max_seconds)
    if agent:
        parameters["agent"] = True
    return _result(found, core, parameters, False, None)


def _numbers(profile: Any, what: str) -> List[List[Any]]:
    """``profile`` as a list of lists of numbers, refused by name when it is not one."""
    import numbers

    try:
        groups = [list(group) for group in profile]
    except TypeError:
        raise _patron.PatronError(f"{what} must be a list with one list of numbers per player, "
                                  f"got {profile!r}") from None
    for group in groups:
        for x in group:
            if isinstance(x, bool) or not isinstance(x, (numbers.Real, str)):
                raise _patron.PatronError(f"{what}: {x!r} is not a number")
    return groups


def _weights(perturbation: Any) -> str:
    """A perturbation as ``--perturbation`` writes it: ``1,0,0;0,1`` (the weights' checks are
    the command line's: a NaN or infinity is refused there)."""
    groups = _numbers(perturbation, "perturbation")
    for x in (x for g in groups for x in g):
        if isinstance(x, str):
            raise _patron.PatronError(f"perturbation: {x!r} is not a number")
    return ";".join(",".join(repr(float(x)) for x in g) for g in groups)


def _start(start: Any) -> str:
    """A start profile as a ``--start`` file's line: every probability, exact, by commas (the
    command line's parser refuses what is not a number, NaN and infinity included)."""
    import numbers
    import re
    from fractions import Fraction

    def exact(x: Any) -> str:
        if isinstance(x, str):
            # One number's characters only: a comma, a line break, `#` or `NE` would be read
            # by the line's parser as a separator, a second profile, a comment or a tag.
            if not re.fullmatch(r"\s*[0-9eE+\-./]+\s*", x):
                raise _patron.PatronError(f"start: {x!r} is not a number such as 1/3 or 0.25")
            return x
        if isinstance(x, numbers.Rational):
            return str(Fraction(x))
        # A float is the decimal it prints as (0.1 is 1/10), as in Game.from_arrays.
        return repr(float(x))

    return ",".join(exact(x) for g in _numbers(start, "start") for x in g)
