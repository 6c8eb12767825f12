#!/usr/bin/env bash
# The bridge against the physical floor, in one sitting: PAIRS times, alternating, the C model of
# one loop's sockets (bench/udp-syscalls.c, its io_uring mode: every leg's packet in and out per
# tick, batched, nothing else) and the bridge under bench/load.sh at the same legs and rate. Prints
# each pair's µs of CPU per packet in and out and their ratio, then the ratios' median and spread.
#
#   bench/floor.sh N K [SECONDS] [PAIRS]     e.g. bench/floor.sh 400 400 20 3
#   ROOMS=100 bench/floor.sh 400 400         the N callers in ROOMS rooms (see load.sh)
#   WARMUP=60 (default here) and the other load.sh variables pass through.
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
MODEL=${TMPDIR:-/tmp}/udp-syscalls-floor
[ "$MODEL" -nt bench/udp-syscalls.c ] 2>/dev/null || cc -O2 -o "$MODEL" bench/udp-syscalls.c
[ -f conference-core/target/conference-bridge.jar ] || mvn -B -q -DskipTests package

ratios=()
for pair in $(seq "$PAIRS"); do
  model=$("$MODEL" "$N" 3000 | awk '/^io_uring/ {for (i = 1; i <= NF; i++) if ($i == "bridge") {print $(i + 1); exit}}')
  line=$(bench/load.sh "$N" "$K" "$SECS" | grep 'bridge CPU')
  cpu=$(sed -E 's/.*bridge CPU ([0-9.]+) %.*/\1/' <<< "$line")
  in_rate=$(sed -E 's#.*packets in/out per s ([0-9]+)/.*#\1#' <<< "$line")
  bridge=$(awk -v c="$cpu" -v r="$in_rate" 'BEGIN{printf "%.2f", c / 100 * 1e6 / r}')
  ratio=$(awk -v b="$bridge" -v m="$model" 'BEGIN{printf "%.2f", b / m}')
  ratios+=("$ratio")
  echo "pair $pair: model $model µs, bridge $bridge µs per packet in and out ($cpu % of a core, $in_rate packets/s in): $ratio x floor"
  echo "  $line"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v n="$N" -v k="$K" -v rooms="${ROOMS:-1}" \
  '{r[NR] = $1} END {m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
       printf "N=%s talkers=%s rooms=%s: %.2f x floor (median of %d pairs; %s-%s)\n", n, k, rooms, m, NR, r[1], r[NR]}'
