#!/usr/bin/env bash
# The Python package's tests, on a fresh machine (CPython >= 3.9 with pip, a Rust toolchain,
# PyPI reachable): builds the package into a venv of its own with `pip install ./python`
# (pip runs maturin from PyPI), builds the `patron` CLI the tests compare against, and runs
# pytest. Exits with pytest's status. Safe to run twice and from any directory.
#
#   python/run-tests.sh [PYTEST ARGS...]
#
# Environment: PYTHON (default python3), PATRON_PY_VENV (default target/python-venv),
# PATRON_BIN (a built CLI to use), PATRON_GAMBIT_CORPUS (default ../shared/games/gambit).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
venv="${PATRON_PY_VENV:-$root/target/python-venv}"

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$here" pytest pandas

if [ -z "${PATRON_BIN:-}" ]; then
  (cd "$root" && cargo build --locked --quiet --bin patron)
  export PATRON_BIN="$root/target/debug/patron"
fi
export PATRON_GAMBIT_CORPUS="${PATRON_GAMBIT_CORPUS:-$root/../shared/games/gambit}"

# Run from the tests' folder against the installed package (not the source tree).
cd "$here/tests"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" .
