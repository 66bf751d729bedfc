#!/usr/bin/env bash
# The cluster recipe of docs/sweeps.md ("A Slurm job array, one shard per task"), run for real on a
# one-node Slurm cluster on this machine: munge, slurmctld and slurmd on localhost, the documented
# job array for a small sharded sweep, `patron merge`, and a byte-for-byte comparison of the merged
# file with the unsharded sweep.
#
# Usage: scripts/slurm-sweep-test.sh [PATRON_BINARY]   (default: target/release/patron, built if missing)
# Needs root (to install Debian's slurm-wlm packages when missing and to start the daemons). Where
# Slurm cannot be had, it prints exactly why and exits 0 with "slurm sweep test: SKIPPED"; a failure
# of the recipe itself exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

skip() {
  echo "slurm sweep test: SKIPPED: $*"
  exit 0
}

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 \
  || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || skip "Slurm is not installed and installing it needs root"
  command -v apt-get >/dev/null 2>&1 || skip "Slurm is not installed and there is no apt-get"
  echo "installing Debian's slurmctld slurmd slurm-client munge ..."
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge \
    >/tmp/patron-slurm-apt.log 2>&1; then
    (apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      slurmctld slurmd slurm-client munge >/tmp/patron-slurm-apt.log 2>&1) \
      || skip "apt-get could not install slurm-wlm (see /tmp/patron-slurm-apt.log)"
  fi
fi
[ "$(id -u)" = 0 ] || skip "starting slurmctld/slurmd as configured here needs root"

patron=${1:-$repo/target/release/patron}
if [ ! -x "$patron" ]; then
  cargo build --release --locked --quiet
fi
patron=$(readlink -f "$patron")

work=$(mktemp -d /tmp/patron-slurm.XXXXXX)
host=$(hostname -s)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# munge: a fresh key and socket of this test's own.
mkdir -p "$work/munge" "$work/spool" "$work/state" "$work/out"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$work/munge"
chmod 400 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/seed" || skip "munged would not start here"
pids+=("$(cat "$work/munge/munged.pid")")

port_base=$((20000 + RANDOM % 20000))
cat >"$work/slurm.conf" <<EOF
ClusterName=patronci
SlurmctldHost=$host
SlurmctldPort=$port_base
SlurmdPort=$((port_base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

slurmctld -f "$SLURM_CONF" || skip "slurmctld would not start (log: $(tail -3 "$work/slurmctld.log" 2>/dev/null))"
sleep 1
slurmd -f "$SLURM_CONF" || skip "slurmd would not start (log: $(tail -3 "$work/slurmd.log" 2>/dev/null))"
sleep 1
[ -f "$work/slurmctld.pid" ] && pids+=("$(cat "$work/slurmctld.pid")")
[ -f "$work/slurmd.pid" ] && pids+=("$(cat "$work/slurmd.pid")")

for _ in $(seq 1 30); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then break; fi
  sleep 1
done
sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' \
  || skip "the one-node cluster did not come up (sinfo: $(sinfo 2>&1 | tail -1); slurmd log: $(tail -2 "$work/slurmd.log" 2>/dev/null))"
echo "one-node Slurm cluster up on $host"

# The documented job array (docs/sweeps.md), scaled down: 4 shards of a 2,000-draw Monte Carlo sweep.
shards=4
cat >"$work/job.sh" <<EOF
#!/bin/bash
#SBATCH --array=1-$shards
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/out/slurm-%A_%a.out
export RAYON_NUM_THREADS=\$SLURM_CPUS_PER_TASK
cd $repo
"$patron" sweep models/gaza-2024.toml --scenario ceasefire --samples 2000 --seed 2024 \\
    --shard \$SLURM_ARRAY_TASK_ID/$shards --out $work/out/part-\$SLURM_ARRAY_TASK_ID.csv --resume --quiet
EOF
sbatch --wait "$work/job.sh" || { cat "$work"/out/slurm-*.out 2>/dev/null; echo "slurm sweep test: FAILED: the job array failed"; exit 1; }

"$patron" merge "$work/merged.csv" "$work"/out/part-*.csv
"$patron" sweep models/gaza-2024.toml --scenario ceasefire --samples 2000 --seed 2024 \
  --out "$work/whole.csv" --quiet >/dev/null
if cmp "$work/merged.csv" "$work/whole.csv"; then
  echo "slurm sweep test: PASSED: $shards Slurm array tasks merged equal the unsharded sweep byte for byte ($(wc -l <"$work/whole.csv") lines)"
else
  echo "slurm sweep test: FAILED: the merged sweep differs from the unsharded one"
  exit 1
fi
