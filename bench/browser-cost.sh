#!/bin/sh
# The room thread's CPU per leg by kind of caller, one sitting, alternating: a phone on PCMU, a SIP
# softphone on Opus (plain RTP) and a browser (ICE-lite, DTLS-SRTP, Opus 48 kHz), N legs in one
# room, all talking (mixer.maxTalkers 8). Callers are played from the same JVM, encoded ahead; only
# the room loop's threads are measured (BrowserLegCost).
# Usage: bench/browser-cost.sh [LEGS] [SECONDS] [ROUNDS]   (after mvn -B install -DskipTests)
#        OPUS_LIBRARY=libopus bench/browser-cost.sh ...   (codecs.opusLibrary; default concentus)
set -u
cd "$(dirname "$0")/.."
LEGS=${1:-40}
SECONDS_EACH=${2:-15}
ROUNDS=${3:-3}
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q install -DskipTests
for round in $(seq "$ROUNDS"); do
    for kind in pcmu opus browser; do
        java -cp benchmarks/target/benchmarks.jar org.confbridge.media.room.BrowserLegCost "$kind" "$LEGS" "$SECONDS_EACH" \
            "${OPUS_LIBRARY:-concentus}" \
            2>&1 | grep -E "^(pcmu|opus|browser) |Exception"
    done
done
