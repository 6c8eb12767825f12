#!/bin/sh
# The loop thread's CPU per RTP packet sent, one sitting, alternating: our io_uring binding
# (LoopRing), one send() per packet, and Netty 4.2's io_uring transport (bench/netty-io_uring).
# Usage: bench/ring-compare.sh [SOCKETS] [SECONDS] [ROUNDS]   (after mvn -B install -DskipTests)
set -u
cd "$(dirname "$0")/.."
SOCKETS=${1:-500}
SECONDS_EACH=${2:-10}
ROUNDS=${3:-3}
[ -f bench/netty-io_uring/target/netty-io_uring.jar ] || (cd bench/netty-io_uring && mvn -B -q package)
for round in $(seq "$ROUNDS"); do
    java -cp benchmarks/target/benchmarks.jar org.confbridge.media.net.RingSendCost ring "$SOCKETS" "$SECONDS_EACH" 2>&1 | grep -E "^ours|Exception"
    java -cp benchmarks/target/benchmarks.jar org.confbridge.media.net.RingSendCost direct "$SOCKETS" "$SECONDS_EACH" 2>&1 | grep -E "^ours|Exception"
    java -jar bench/netty-io_uring/target/netty-io_uring.jar "$SOCKETS" "$SECONDS_EACH" 2>&1 | grep -E "^netty|Exception"
done
