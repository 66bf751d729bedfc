#!/usr/bin/env bash
# patron's Python package against pygambit, Nashpy and QuantEcon in one interpreter
# (benches/peers/inprocess.py; results in docs/performance.md).
#
#   benches/peers/inprocess.sh [--quick]
#
# Uses run.sh's throwaway venv (PEERS_VENV, default target/peers-venv) with the pinned peers,
# and installs ./python into it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
venv="${PEERS_VENV:-$root/target/peers-venv}"
python="${PYTHON:-python3.11}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/peers/requirements.txt ./python
workdir="$(mktemp -d "${TMPDIR:-/tmp}/patron-inprocess.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT
cd benches/peers
# Unset only here, as run.sh does: older OpenBLAS settings of this machine slow a current numpy.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" inprocess.py --workdir "$workdir" "$@"
