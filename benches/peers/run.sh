#!/usr/bin/env bash
# Times patron against pygambit, nashpy and quantecon on the same seeded games (see
# docs/performance.md for the last results and driver.py for what each cell means).
#
#   benches/peers/run.sh [--quick] [--only nplayer|work] [--methods gnm,ipa,simpdiv,liap,tree-logit]
#                        [--peer-timeout SECONDS]
#
# --only nplayer: just the cells of gnm, ipa, simpdiv and liap on games with 3 or more players
# and of the agent logit QRE on trees (nplayer.py; about 15 minutes on 2 loaded cores);
# --methods picks some of gnm, ipa, simpdiv, liap, tree-logit. --only work [--draws 6,6,6:7001-7024]:
# ipa's work on both sides (iterations, Lemke calls, pivots), counted with gdb, beside the
# in-process times, on the n-player bench games and on random draws of one size (work.py).
#
# Environment: PATRON_GAMBIT_CORPUS (Gambit's example games, default ../shared/games/gambit),
# PEERS_VENV (the throwaway venv, default target/peers-venv), PYTHON (default python3.11).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
corpus="${PATRON_GAMBIT_CORPUS:-../shared/games/gambit}"
# Absolute: the peers run from benches/peers.
corpus="$(cd "$corpus" 2>/dev/null && pwd || echo "$corpus")"
if [ ! -d "$corpus" ]; then
    echo "run.sh: no Gambit corpus at $corpus (set PATRON_GAMBIT_CORPUS; a relative path is" \
        "taken from the repository root): its cells are skipped" >&2
fi
venv="${PEERS_VENV:-$root/target/peers-venv}"
python="${PYTHON:-python3.11}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/peers/requirements.txt

cargo build --quiet --release --bin patron --example peer_timing
workdir="$(mktemp -d "${TMPDIR:-/tmp}/patron-peers.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT

# Unset only here: older OpenBLAS settings of this machine slow a current numpy (docs/performance.md).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" benches/peers/driver.py \
    --patron-bin "$root/target/release/patron" \
    --harness "$root/target/release/examples/peer_timing" \
    --workdir "$workdir" --corpus "$corpus" "$@"
