"""The package's public functions and methods each have a test that calls them: a new public
name without one fails here (issue #16: "pytest runs ≥ 1 test per public function")."""

import inspect
import pathlib
import re

import patron
from patron import nash

HERE = pathlib.Path(__file__).resolve().parent


def public_names():
    """Every public function of `patron` and `patron.nash`, and every public method or
    property of the classes `patron` exports."""
    names = set()
    for module in (patron, nash):
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isbuiltin(obj):
                names.add(name)
            elif inspect.isclass(obj) and not issubclass(obj, BaseException):
                for member, value in vars(obj).items():
                    if not member.startswith("_") and (callable(value) or isinstance(value, (property, staticmethod, classmethod))):
                        names.add(member)
    return names


def test_every_public_function_is_called_by_a_test():
    tests = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != pathlib.Path(__file__).name)
    missing = sorted(n for n in public_names() if not re.search(rf"\b{re.escape(n)}\b", tests))
    assert not missing, f"public names no test mentions: {missing}"


def test_the_list_is_not_empty():
    # The check above would pass vacuously if the enumeration found nothing.
    names = public_names()
    assert {"lcp_solve", "gnm_solve", "read_game", "from_arrays", "sweep", "as_array"} <= names
