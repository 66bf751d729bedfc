#!/usr/bin/env bash
# Regenerates the figures of docs/sweeps.md with exactly the commands that page documents.
# Run from the repository root: bash docs/figures/make.sh
set -euo pipefail
# PATRON_BIN=path/to/patron skips the release build.
patron() { if [ -n "${PATRON_BIN:-}" ]; then "$PATRON_BIN" "$@"; else cargo run --quiet --release -- "$@"; fi; }
out=docs/figures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

patron sweep models/gaza-2024.toml --scenario ceasefire \
    --vary dyads.us_israel.credibility=0.3:0.8:11 --out "$tmp/credibility.csv" --quiet
patron plot "$tmp/credibility.csv" --x dyads.us_israel.credibility --y ceasefire.optimal.p_hold \
    --out "$out/credibility.svg"

patron sweep models/gaza-2024.toml --scenario ceasefire \
    --vary dyads.us_israel.credibility=0.3:0.8:11 --vary chain.recovery=0.2:0.8:3 --out "$tmp/grid.csv" --quiet
patron plot "$tmp/grid.csv" --x dyads.us_israel.credibility --y ceasefire.optimal.p_hold \
    --by chain.recovery --out "$out/grid.svg"

patron sensitivity models/gaza-2024.toml --scenario ceasefire --output ceasefire.optimal.p_hold \
    --samples 4000 --seed 1 --format json > "$tmp/sensitivity.json"
patron plot "$tmp/sensitivity.json" --out "$out/tornado.svg"

patron solve models/gaza-2024.toml --scenario ceasefire --format json > "$tmp/solve.json"
patron plot "$tmp/solve.json" --out "$out/survival.svg"
