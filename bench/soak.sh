#!/usr/bin/env bash
# Soak: the bridge jar under churn for MINUTES (default 60): about CALLERS callers (default 200) in
# ROOMS rooms at once (default 50), every room recording. A new caller every 40/CALLERS s, each
# staying 40 s; callers fill a room in turn, then the next, through twice ROOMS rooms, so each room
# is busy 40 s and then empty 40 s: people join and leave all the time, rooms and their recordings
# open and close. Every minute one line:
# heap after a collection, RSS, threads, open file descriptors, free RTP ports, calls, the latest
# loops' wake-up lateness (max of the minute), their wake-ups later than 5 ms and those held back
# more than 5 ms, and packets lost inside the bridge so far. Flat columns mean
# no leak. Beside them, what the machine itself does to a thread that only sleeps: cyclictest
# (Debian rt-tests) wakes one thread per CPU every 20 ms at the loops' priority and reports its
# latest wake-up and its wake-ups later than 5 ms; on a virtual machine whose CPUs the host takes
# away now and then, that is the floor under the bridge's own figures. The last column says whether
# the bridge's loops were held back no more often than the probe that minute. Traffic stays on
# 127.0.0.1. Needs sipp, sox, curl, jcmd; cyclictest where installed.
#
#   bench/soak.sh                 one hour, 200 callers in 50 rooms
#   MINUTES=5 bench/soak.sh       a short run
#   HEAP=0 bench/soak.sh          no heap figure (it forces a collection through jcmd every minute)
#   JAVA_OPTS=-Xlog:safepoint:file=/tmp/safepoints.log bench/soak.sh   more JVM flags for the bridge
set -euo pipefail
trap 'echo "soak.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-60}
CALLERS=${CALLERS:-200}
ROOMS=${ROOMS:-50}
HOLD_S=40
JAR=${JAR:-conference-core/target/conference-bridge.jar}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
for tool in sipp sox curl jcmd; do command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

WORK=$(mktemp -d)
BRIDGE_PID=; SIPP_PID=
stop() {
  kill $SIPP_PID 2>/dev/null || true
  if [ -n "$BRIDGE_PID" ]; then
    kill "$BRIDGE_PID" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$BRIDGE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$BRIDGE_PID" 2>/dev/null || true
  fi
  cp "$WORK/bridge.log" /tmp/last-soak-bridge.log 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT
mkdir -p "$WORK/cfg/rooms"
cat > "$WORK/cfg/bridge.properties" <<CFG
sip.bind = 127.0.0.1
sip.port = 25160
rtp.ports = 42000-51999
http.port = 28180
recordings.dir = $WORK/recordings
codecs = PCMU
# As recommended for production (see README, Operations); needs root or CAP_SYS_NICE.
mixer.realtimePriority = ${RT_PRIO:-10}
security.trustedSources = 127.0.0.0/8
CFG
PER_ROOM=$(( CALLERS / ROOMS > 0 ? CALLERS / ROOMS : 1 ))
{ echo SEQUENTIAL; for r in $(seq 0 $((2 * ROOMS - 1))); do
  printf "name = Soak\nrecord = always\nannounceJoinLeave = false\n" > "$WORK/cfg/rooms/$((6000 + r)).properties"
  for _ in $(seq "$PER_ROOM"); do echo "$((6000 + r))"; done; done; } > "$WORK/rooms.csv"
sox -n -r 8000 -c 1 -e u-law "$WORK/tone.wav" synth $((HOLD_S + 5)) sine 440 vol 0.5
sed -e "s#@FILE@#$WORK/tone.wav#" -e "s#@HOLD_MS@#$((HOLD_S * 1000))#" -e 's#\[service\]#[field0]#g' \
    conference-core/src/test/resources/sipp/uac_stream.xml > "$WORK/call.xml"

java -Xms512m -Xmx512m -XX:+UseZGC ${JAVA_OPTS:-} -jar "$JAR" --config "$WORK/cfg" > "$WORK/bridge.log" 2>&1 &
BRIDGE_PID=$!
for _ in $(seq 60); do grep -q "bridge ready" "$WORK/bridge.log" 2>/dev/null && break; sleep 0.5; done
grep -q "bridge ready" "$WORK/bridge.log" || { echo "the bridge did not start:" >&2; tail -20 "$WORK/bridge.log" >&2; exit 1; }

# A new call every HOLD_S/CALLERS seconds, each HOLD_S long: about CALLERS at once.
RATE_MS=$(( HOLD_S * 1000 / CALLERS ))
TOTAL=$(( MINUTES * 60 * 1000 / RATE_MS + CALLERS ))
sipp -sf "$WORK/call.xml" -s 6000 127.0.0.1:25160 -i 127.0.0.1 -mi 127.0.0.1 -p 26100 -mp 40000 \
     -inf "$WORK/rooms.csv" -r 1 -rp "$RATE_MS" -m "$TOTAL" -l $((CALLERS + 20)) -nostdin -bg \
     -trace_err -error_file "$WORK/sipp-errors.log" >/dev/null 2>&1 || true
SIPP_PID=$(pgrep -n -f "sipp -sf $WORK/call.xml" || true)

metric() { curl -s localhost:28180/metrics | awk -v m="$1" '$1==m {print $2}'; }
lost() { curl -s localhost:28180/metrics | awk '(/^bridge_rtp_packets_dropped_total/ && !/foreign/) ||
  /^bridge_rtp_packets_unsent_total/ || /^bridge_rtp_socket_errors_total/ {s+=$2} END{print s+0}'; }
heap_after_gc() {
  jcmd "$BRIDGE_PID" GC.run >/dev/null 2>&1 || true
  sleep 2
  # e.g. " ZHeap           used 118M, capacity 512M, max capacity 512M" (ZGC) or "used 120832K" (others)
  jcmd "$BRIDGE_PID" GC.heap_info 2>/dev/null | awk '/ used / {for(i=1;i<=NF;i++) if($i=="used") {v=$(i+1); sub(/,$/,"",v);
    u=substr(v,length(v)); n=substr(v,1,length(v)-1)+0; print int(u=="K" ? n/1024 : u=="G" ? n*1024 : n); exit}}'
}
# The loops' wake-ups so far, those later than 5 ms, and those the platform held back more than
# 5 ms (recorded once per loop wake-up, however many rooms it ticks). A late wake-up is followed by
# catch-up ticks due at once, late from the start: they count among the late, not the held back.
# Held back is cyclictest's measure (it skips the periods it missed), so that column is compared.
ticks() { curl -s localhost:28180/metrics | awk -F'[{}" ]+' '/^bridge_mixer_tick_lateness_seconds_count/ {c=$NF}
  /^bridge_mixer_tick_lateness_seconds_bucket/ && /le="0.005"/ {b=$NF}
  /^bridge_mixer_wakeup_delay_seconds_bucket/ && /le="0.005"/ {d=$NF} END{print c+0, c-b, c-d}'; }
read -r _ late0 held0 < <(ticks)
echo "soak: $CALLERS callers in $ROOMS recorded rooms at once (of $((2 * ROOMS))), a new one every $RATE_MS ms for $MINUTES min"
# The platform's own wake-up lateness over the next 57 s: "max-ms late>5ms" of two sleeping threads.
platform() {
  command -v cyclictest >/dev/null || { echo "- -"; return; }
  cyclictest -q -m -a -t2 -p "${RT_PRIO:-10}" -i 20000 -D 57 -h 30000 2>/dev/null | awk '
    /^# Max Latencies/ {m=0; for(i=4;i<=NF;i++) if($i+0>m) m=$i+0}
    /^# Histogram Overflows/ {for(i=4;i<=NF;i++) o+=$i}
    !/^#/ && $1>=5000 {for(i=2;i<=NF;i++) n+=$i}
    END{printf "%.2f %d\n", m/1000, n+o}'
}
command -v cyclictest >/dev/null || echo "(cyclictest not installed: apt-get install rt-tests for the platform columns)"
printf "%6s %10s %8s %8s %6s %10s %6s %12s %9s %9s %6s %15s %14s %11s\n" minute heap-MB rss-MB threads fds free-ports calls \
    wake-max-ms "late>5ms" "held>5ms" lost platform-max-ms "platform>5ms" "<=platform"
OVER=0; BRIDGE_LATE=0; BRIDGE_HELD=0; PLATFORM_LATE=0
for m in $(seq 1 "$MINUTES"); do
  platform > "$WORK/platform" & PLATFORM_PID=$!
  sleep 58
  kill -0 "$BRIDGE_PID" 2>/dev/null || { echo "the bridge died" >&2; tail -20 "$WORK/bridge.log" >&2; exit 1; }
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$BRIDGE_PID/status)
  threads=$(awk '/Threads/ {print $2}' /proc/$BRIDGE_PID/status)
  fds=$(ls /proc/$BRIDGE_PID/fd | wc -l)
  ports=$(metric bridge_rtp_ports_free); calls=$(metric bridge_sip_calls_active)
  late=$(metric bridge_mixer_tick_lateness_seconds_max)
  read -r _ late1 held1 < <(ticks)
  heap=-; [ "${HEAP:-1}" = 0 ] || heap=$(heap_after_gc)
  wait "$PLATFORM_PID" || true
  read -r pmax plate < "$WORK/platform"
  verdict=-
  if [ "$plate" != - ]; then
    verdict=yes; [ $((held1 - held0)) -le "$plate" ] || { verdict=NO; OVER=$((OVER + 1)); }
    BRIDGE_HELD=$((BRIDGE_HELD + held1 - held0)); PLATFORM_LATE=$((PLATFORM_LATE + plate))
  fi
  BRIDGE_LATE=$((BRIDGE_LATE + late1 - late0))
  printf "%6s %10s %8s %8s %6s %10s %6s %12.2f %9s %9s %6s %15s %14s %11s\n" "$m" "$heap" "$rss" "$threads" "$fds" "${ports%.*}" \
      "${calls%.*}" "$(awk -v l="${late:-0}" 'BEGIN{print l*1000}')" "$((late1 - late0))" "$((held1 - held0))" "$(lost)" \
      "$pmax" "$plate" "$verdict"
  late0=$late1; held0=$held1
done
echo "wake-ups later than 5 ms: bridge $BRIDGE_LATE (held back by the platform: $BRIDGE_HELD), platform $PLATFORM_LATE;" \
     "minutes where the bridge was held back more often than the platform's probe: $OVER of $MINUTES"

echo "SIPp: $(grep -c . "$WORK/sipp-errors.log" 2>/dev/null || echo 0) error lines; sessions recorded: $(find "$WORK/recordings" -name session.json | wc -l)"
