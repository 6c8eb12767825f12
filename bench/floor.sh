#!/usr/bin/env bash
# The bridge against the physical floor, in one sitting: PAIRS times, alternating, the C model of
# one loop's sockets (bench/udp-syscalls.c, its io_uring mode: every leg's packet in and out per
# tick, batched, nothing else) and the bridge under bench/load.sh at the same legs and rate. Prints
# each pair's µs of CPU per packet in and out and their ratio, then the ratios' median and spread.
#
#   bench/floor.sh N K [SECONDS] [PAIRS]     e.g. bench/floor.sh 400 400 20 3
#   ROOMS=100 bench/floor.sh 400 400         the N callers in ROOMS rooms (see load.sh)
#   BEFORE=/tmp/old.jar bench/floor.sh 400 400 20 3
#                                            a change against the build before it: each pair runs
#                                            the model and both builds (the order turning each pair,
#                                            ABBA), and prints both ratios and after / before
#   WARMUP=60 (default here), JAR and the other load.sh variables pass through.
#
# The bridge's figure is its whole process CPU (all threads, as load.sh reads it from /proc)
# divided by the packets it received per second; the model's is its loop thread's CPU per packet
# in and out. What the model leaves out (decoding, mixing, encoding, jitter buffers, timers,
# metrics, the JVM) is what the ratio shows above 1.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?number of callers}
K=${2:?number of talkers}
SECS=${3:-20}
PAIRS=${4:-3}
export WARMUP=${WARMUP:-60}
AFTER=${JAR:-conference-core/target/conference-bridge.jar}
MODEL=${TMPDIR:-/tmp}/udp-syscalls-floor
[ "$MODEL" -nt bench/udp-syscalls.c ] 2>/dev/null || cc -O2 -o "$MODEL" bench/udp-syscalls.c
[ -f "$AFTER" ] || mvn -B -q -DskipTests package

# µs of bridge CPU per packet in and out for one load.sh run of the build $1; the run's line on stderr.
bridge() {
  local line cpu in_rate
  line=$(JAR=$1 bench/load.sh "$N" "$K" "$SECS" | grep 'bridge CPU')
  cpu=$(sed -E 's/.*bridge CPU ([0-9.]+) %.*/\1/' <<< "$line")
  in_rate=$(sed -E 's#.*packets in/out per s ([0-9]+)/.*#\1#' <<< "$line")
  echo "  $line" >&2
  awk -v c="$cpu" -v r="$in_rate" 'BEGIN{printf "%.2f", c / 100 * 1e6 / r}'
}
ratio() { awk -v b="$1" -v m="$2" 'BEGIN{printf "%.2f", b / m}'; }
median() { sort -n | awk '{r[NR] = $1} END {m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
  printf "%.2f (median of %d; %s-%s)", m, NR, r[1], r[NR]}'; }

ratios=(); before_ratios=(); changes=()
for pair in $(seq "$PAIRS"); do
  model=$("$MODEL" "$N" 3000 | awk '/^io_uring/ {for (i = 1; i <= NF; i++) if ($i == "bridge") {print $(i + 1); exit}}')
  if [ -z "${BEFORE:-}" ]; then
    after=$(bridge "$AFTER")
    ratios+=("$(ratio "$after" "$model")")
    echo "pair $pair: model $model µs, bridge $after µs per packet in and out: ${ratios[-1]} x floor"
    continue
  fi
  if [ $((pair % 2)) = 1 ]; then before=$(bridge "$BEFORE"); after=$(bridge "$AFTER")
  else after=$(bridge "$AFTER"); before=$(bridge "$BEFORE"); fi
  ratios+=("$(ratio "$after" "$model")"); before_ratios+=("$(ratio "$before" "$model")")
  changes+=("$(ratio "$after" "$before")")
  echo "pair $pair: model $model µs; before $before µs (${before_ratios[-1]} x floor), after $after µs" \
       "(${ratios[-1]} x floor): after / before ${changes[-1]}"
done
echo "N=$N talkers=$K rooms=${ROOMS:-1}: $(printf '%s\n' "${ratios[@]}" | median) x floor"
if [ -n "${BEFORE:-}" ]; then
  echo "  before: $(printf '%s\n' "${before_ratios[@]}" | median) x floor; after / before $(printf '%s\n' "${changes[@]}" | median)"
fi
