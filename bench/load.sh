#!/usr/bin/env bash
# End-to-end load: starts the bridge jar, puts N SIPp callers streaming PCMU into one room (K of
# them a tone, the rest silence), and reports bridge CPU (% of one core, from /proc), tick lateness
# (from /metrics), skipped ticks, RSS and the largest gap between two packets the bridge sent to one
# caller (tcpdump on loopback). Traffic stays on 127.0.0.1. Needs sipp, sox, tcpdump, curl.
#
#   bench/load.sh N K [SECONDS]      e.g. bench/load.sh 400 400 30
#   RATE=8000 bench/load.sh ...      mix at 8 kHz (default 16000)
#   RT_PRIO=0 bench/load.sh ...      room threads at normal priority (default: SCHED_FIFO 10, as
#                                    recommended for production; needs root or CAP_SYS_NICE)
#   MAX_TALKERS=0 bench/load.sh ...  mix every talker (default: mixer.maxTalkers, 8 loudest)
#   IO_URING=false bench/load.sh ... one send system call per packet (mixer.ioUring; default: the
#                                    room threads' sends go to the kernel in one io_uring batch)
#   THREADS=1 bench/load.sh ...      also lists every bridge thread's CPU (name, % of one core)
#   WARMUP=10 bench/load.sh ...      seconds between the last join and the measurement (default 120)
#   ROOMS=100 bench/load.sh 400 400  the N callers spread over ROOMS rooms in turn (PER = N / ROOMS
#                                    each; K = ROOMS gives one talker per room), as a consulting
#                                    workload of many small rooms; default one room
#   CODEC=opus bench/load.sh ...     Opus callers instead of PCMU (SIPp plays an Opus RTP capture
#                                    made by benchmarks/ OpusRtpCapture); OPUS_LIBRARY=libopus
#                                    sets codecs.opusLibrary (default concentus)
#   SRTP=1 bench/load.sh ...         every caller on SRTP (PCMU, AES_CM_128_HMAC_SHA1_80, SDES): SIPp
#                                    offers a key and plays packets protected with it in advance
#                                    (benchmarks/ SrtpRtpCapture); the bridge protects its own.
#                                    SRTP=pcap: the same packets as plain RTP, played the same way
#                                    (SIPp's pcap playback costs more than its streaming): the
#                                    plain run to compare SRTP with
set -euo pipefail
trap 'echo "load.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
N=${1:?number of callers}
K=${2:?number of talkers}
SECS=${3:-30}
ROOMS=${ROOMS:-1}
# Seconds between the last caller joining and the measurement, for the JIT: perf found 1.4-1.5 %
# of the room thread's samples in the interpreter after 10 s, 0.65 % after 60 s, none after 120 s
# (N = 400). THREADS=1 lists the compiler threads apart from the room's loop.
WARMUP=${WARMUP:-120}
# Audio and calls last past the warm-up, the window and the gap capture.
MEDIA_SECS=$((WARMUP + 3 * SECS + 120))
JAR=${JAR:-conference-core/target/conference-bridge.jar}  # JAR=... measures another build
[ -f "$JAR" ] || mvn -B -q -DskipTests package
for tool in sipp sox tcpdump curl; do command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

WORK=$(mktemp -d)
BRIDGE_PID=; SIPP_TALK=; SIPP_QUIET=; TCPDUMP=
stop() {
  kill $SIPP_TALK $SIPP_QUIET $TCPDUMP 2>/dev/null || true
  if [ -n "$BRIDGE_PID" ]; then
    # The bridge says goodbye to every caller on SIGTERM; wait, so the next run finds its ports free.
    kill "$BRIDGE_PID" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$BRIDGE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$BRIDGE_PID" 2>/dev/null || true
  fi
  cp "$WORK/bridge.log" /tmp/last-bridge.log; rm -rf "$WORK"
}
trap stop EXIT
mkdir -p "$WORK/cfg/rooms"
cat > "$WORK/cfg/bridge.properties" <<CFG
sip.bind = 127.0.0.1
sip.port = 25060
rtp.ports = 30000-39999
http.port = 28080
recordings.dir = $WORK/recordings
codecs = ${CODEC:-PCMU}
codecs.opusLibrary = ${OPUS_LIBRARY:-concentus}
mixer.sampleRate = ${RATE:-16000}
# SIPp places every caller from one address: the load generator is a trusted source (a trunk).
security.trustedSources = 127.0.0.0/8
sip.maxCalls = 100000
CFG
[ -z "${MAX_TALKERS:-}" ] || echo "mixer.maxTalkers = $MAX_TALKERS" >> "$WORK/cfg/bridge.properties"
[ -z "${IO_URING:-}" ] || echo "mixer.ioUring = $IO_URING" >> "$WORK/cfg/bridge.properties"
[ "${RT_PRIO:-10}" = 0 ] || echo "mixer.realtimePriority = ${RT_PRIO:-10}" >> "$WORK/cfg/bridge.properties"
# Rooms 5000, 5001, ...: SIPp takes each call's room from rooms.csv in turn (its [field0]).
{ echo SEQUENTIAL; for r in $(seq 0 $((ROOMS - 1))); do
  printf "name = Load\nmaxParticipants = 10000\nannounceJoinLeave = false\n" > "$WORK/cfg/rooms/$((5000 + r)).properties"
  echo "$((5000 + r))"; done; } > "$WORK/rooms.csv"
if [ "${CODEC:-PCMU}" = opus ]; then
  # SIPp streams only G.711 from a file; Opus it plays from a capture of RTP packets.
  BENCH_JAR=benchmarks/target/benchmarks.jar
  [ -f "$BENCH_JAR" ] || mvn -B -q -DskipTests package -pl benchmarks -am
  java -cp "$BENCH_JAR" org.confbridge.media.OpusRtpCapture "$WORK/tone.pcap" 440 $MEDIA_SECS
  java -cp "$BENCH_JAR" org.confbridge.media.OpusRtpCapture "$WORK/silence.pcap" 0 $MEDIA_SECS
  TONE=$WORK/tone.pcap; SILENCE=$WORK/silence.pcap
  sed -e 's#<exec rtp_stream="@FILE@,-1,0"/>#<exec play_pcap_audio="@FILE@"/>#' \
      -e 's#m=audio \[rtpstream_audio_port\] RTP/AVP 0 101#m=audio [media_port] RTP/AVP 111 101#' \
      -e 's#a=rtpmap:0 PCMU/8000#a=rtpmap:111 opus/48000/2#' -e 's#telephone-event/8000#telephone-event/48000#' \
      conference-core/src/test/resources/sipp/uac_stream.xml > "$WORK/scenario.xml"
  grep -q 'opus/48000/2' "$WORK/scenario.xml" || { echo "could not make the Opus scenario" >&2; exit 1; }
elif [ "${SRTP:-0}" != 0 ]; then
  # SIPp has no SRTP: every caller offers one key and plays a capture protected with it.
  BENCH_JAR=benchmarks/target/benchmarks.jar
  [ -f "$BENCH_JAR" ] || mvn -B -q -DskipTests package -pl benchmarks -am
  KEY=$(head -c 30 /dev/urandom | base64)
  [ "$SRTP" = 1 ] || KEY=none
  java -cp "$BENCH_JAR" org.confbridge.media.SrtpRtpCapture "$WORK/tone.pcap" 440 $MEDIA_SECS "$KEY"
  java -cp "$BENCH_JAR" org.confbridge.media.SrtpRtpCapture "$WORK/silence.pcap" 0 $MEDIA_SECS "$KEY"
  TONE=$WORK/tone.pcap; SILENCE=$WORK/silence.pcap
  sed -e 's#<exec rtp_stream="@FILE@,-1,0"/>#<exec play_pcap_audio="@FILE@"/>#' \
      -e 's#m=audio \[rtpstream_audio_port\] RTP/AVP 0 101#m=audio [media_port] RTP/SAVP 0 101\
      a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:'"$KEY"'#' \
      conference-core/src/test/resources/sipp/uac_stream.xml > "$WORK/scenario.xml"
  grep -q 'RTP/SAVP' "$WORK/scenario.xml" || { echo "could not make the SRTP scenario" >&2; exit 1; }
  if [ "$SRTP" != 1 ]; then
    sed -i -e 's#RTP/SAVP#RTP/AVP#' -e '/a=crypto/d' "$WORK/scenario.xml"
  fi
else
  sox -n -r 8000 -c 1 -e u-law "$WORK/tone.wav" synth $MEDIA_SECS sine 440 vol 0.5
  sox -n -r 8000 -c 1 -e u-law "$WORK/silence.wav" trim 0 $MEDIA_SECS
  TONE=$WORK/tone.wav; SILENCE=$WORK/silence.wav
  cp conference-core/src/test/resources/sipp/uac_stream.xml "$WORK/scenario.xml"
fi
sed -e "s#@FILE@#TONE#" -e "s#@HOLD_MS@#$(( (WARMUP + 2 * SECS + 100) * 1000 ))#" -e 's#\[service\]#[field0]#g' \
    "$WORK/scenario.xml" > "$WORK/call.xml"
sed "s#TONE#$TONE#" "$WORK/call.xml" > "$WORK/talk.xml"
sed "s#TONE#$SILENCE#" "$WORK/call.xml" > "$WORK/quiet.xml"

# The launch command of a production bridge: fixed heap, a low-pause collector.
java ${JAVA_EXTRA:-} -Xms512m -Xmx512m -XX:+UseZGC -jar "$JAR" --config "$WORK/cfg" > "$WORK/bridge.log" 2>&1 &
BRIDGE_PID=$!
for _ in $(seq 60); do grep -q "bridge ready" "$WORK/bridge.log" 2>/dev/null && break; sleep 0.5; done
grep -q "bridge ready" "$WORK/bridge.log" || { echo "the bridge did not start:" >&2; tail -20 "$WORK/bridge.log" >&2; exit 1; }

sipp -sf "$WORK/talk.xml" -s 5000 127.0.0.1:25060 -i 127.0.0.1 -mi 127.0.0.1 -p 26000 -mp 40000 \
     -inf "$WORK/rooms.csv" -m "$K" -r 100 -l "$K" -nostdin -bg -trace_err -error_file "$WORK/talk-errors.log" \
     >/dev/null 2>&1 || true
SIPP_TALK=$(pgrep -n -f "sipp -sf $WORK/talk.xml" || true)
QUIET=$((N - K))
SIPP_QUIET=
if [ "$QUIET" -gt 0 ]; then
  sipp -sf "$WORK/quiet.xml" -s 5000 127.0.0.1:25060 -i 127.0.0.1 -mi 127.0.0.1 -p 26002 -mp 46000 \
       -inf "$WORK/rooms.csv" -m "$QUIET" -r 100 -l "$QUIET" -nostdin -bg -trace_err -error_file /tmp/quiet-errors.log \
       >/dev/null 2>&1 || true
  SIPP_QUIET=$(pgrep -n -f "sipp -sf $WORK/quiet.xml" || true)
fi
echo "waiting for $N callers in $ROOMS room(s) ..."
for _ in $(seq 120); do
  n=$(curl -s localhost:28080/metrics | awk '/^bridge_media_legs_active /{print int($2)}' || true)
  [ "${n:-0}" -ge "$N" ] && break; sleep 1
done
# JIT warm-up before anything is measured, scraped every 5 s as Prometheus would: the scrapes
# that open the window otherwise set the compilers to work on the metrics code inside it
# (PrintCompilation: 280 methods queued by them at N = 400, compiled while the CPU was counted).
for _ in $(seq $(( (WARMUP + 4) / 5 ))); do curl -s -o /dev/null localhost:28080/metrics || true; sleep 5; done
metric() { curl -s localhost:28080/metrics | awk -v m="$1" '$1==m {print $2}'; }
CLK=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "$1" 2>/dev/null; }  # user + system CPU ticks of a /proc stat file
cpu() { ticks /proc/$BRIDGE_PID/stat; }
# CPU ticks of SIPp (the callers share this machine) and of each bridge thread, to name the busiest.
sippcpu() { for p in $SIPP_TALK $SIPP_QUIET; do ticks /proc/$p/stat; done | awk '{s+=$1} END{print s+0}'; }
threadcpu() { for t in /proc/$BRIDGE_PID/task/*; do echo "${t##*/} $(ticks "$t/stat") $(tr ' ' _ < "$t/comm" 2>/dev/null)"; done; }
skipped0=$(metric bridge_mixer_ticks_skipped_total)
buckets() { curl -s localhost:28080/metrics | awk -F'[{}" ]+' '/^bridge_mixer_tick_lateness_seconds_bucket/ {for(i=1;i<=NF;i++) if($i=="le=") print $(i+1), $NF}'; }
buckets > "$WORK/b0.txt"
# Packets the kernel dropped because a bridge socket's receive queue was full (/proc/net/udp*,
# last column), over the bridge's port range.
sockdrops() { cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk 'BEGIN{for(i=0;i<16;i++) h[sprintf("%X",i)]=i}
  $2 ~ /:/ {n=split($2,a,":"); x=a[n]; p=0; for(i=1;i<=length(x);i++) p=p*16+h[substr(x,i,1)];
  if (p>=30000 && p<=39999) d+=$NF} END{print d+0}'; }
# ... plus what the bridge dropped itself: malformed or unknown packets, unsent packets, socket errors.
dropped() { curl -s localhost:28080/metrics | awk '(/^bridge_rtp_packets_dropped_total/ && !/foreign/) ||
  /^bridge_rtp_packets_unsent_total/ || /^bridge_rtp_socket_errors_total/ {s+=$2} END{print s+0}'; }
# Each of those counters by name, so a loss can be traced to where it happened.
dropnames() { curl -s localhost:28080/metrics | awk '((/^bridge_rtp_packets_dropped_total/ && !/foreign/) ||
  /^bridge_rtp_packets_unsent_total/ || /^bridge_rtp_socket_errors_total/) {print $1, $2}'; }
sd0=$(sockdrops); dr0=$(dropped); dropnames > "$WORK/d0.txt"
# Packets in and out from one scrape, timed when it returns: under full load a scrape can take
# seconds, which must not count as part of the window.
inout() { curl -s localhost:28080/metrics | awk '$1=="bridge_rtp_packets_in_total"{i=$2} $1=="bridge_rtp_packets_out_total"{o=$2}
  END{print i+0, o+0}'; }
read -r in0 out0 < <(inout); m0=$(date +%s.%N)
# CPU is measured without the capture running: on loopback a packet socket's filter runs in the
# sender's system call and would be billed to the bridge.
threadcpu > "$WORK/t0.txt"; s0=$(sippcpu)
c0=$(cpu); t0=$(date +%s.%N)
if [ -n "${PERF_OUT:-}" ]; then
  perf record -e cpu-clock -F 499 -g -p "$BRIDGE_PID" -o "$PERF_OUT" -- sleep "$SECS" >/dev/null 2>&1 || true
  jcmd "$BRIDGE_PID" Compiler.perfmap >/dev/null 2>&1 || true  # names for the JIT-compiled frames
else
  sleep "$SECS"
fi
c1=$(cpu); t1=$(date +%s.%N)
threadcpu > "$WORK/t1.txt"; s1=$(sippcpu)
read -r in1 out1 < <(inout); m1=$(date +%s.%N)
sd1=$(sockdrops); dr1=$(dropped); dropnames > "$WORK/d1.txt"
# Then the largest gap between packets the bridge sends to one caller: the first leg (first port of the range).
GAP_SECS=$(( SECS < 20 ? SECS : 20 ))
# Above the room threads' priority where they run real-time: a starved capture drops packets and
# shows gaps the bridge did not leave. Only one caller's packets pass the filter: little CPU.
CAPTURE_PRIO=()
[ "${RT_PRIO:-10}" = 0 ] || CAPTURE_PRIO=(chrt -f $(( ${RT_PRIO:-10} + 1 )))
timeout "$GAP_SECS" "${CAPTURE_PRIO[@]}" tcpdump -i lo -B 8192 -tt -n -q "udp and src port 30000" 2> "$WORK/capture.txt" > "$WORK/gap.txt" &
TCPDUMP=$!
wait $TCPDUMP 2>/dev/null || true
legs=$(metric bridge_media_legs_active)
buckets > "$WORK/b1.txt"
# Percentiles of the lateness histogram over the measured window (bucket upper bounds, ms).
quantile() { paste "$WORK/b0.txt" "$WORK/b1.txt" | awk -v q="$1" '$1!="+Inf"{le[NR]=$1; c[NR]=$4-$2; n=NR} $1=="+Inf"{tot=$4-$2}
  END{for(i=1;i<=n;i++) if(c[i]>=q*tot){printf "%.2f", le[i]*1000; exit}}'; }
p50=$(quantile 0.5)
p99=$(quantile 0.99)
max=$(quantile 1.0)  # the highest bucket reached in the window
skipped1=$(metric bridge_mixer_ticks_skipped_total)
rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$BRIDGE_PID/status)
gap=$(awk '{print $1}' "$WORK/gap.txt" | awk 'NR>1{g=($1-p)*1000; if(g>m)m=g} {p=$1} END{printf "%.1f", m}')
pkts=$(wc -l < "$WORK/gap.txt")
# A capture that could not keep up (a saturated machine) shows gaps the bridge did not leave.
capdrop=$(awk '/dropped by kernel/ {print $1}' "$WORK/capture.txt"); capdrop=${capdrop:-?}
# CPU ticks over the window as % of one core.
pct() { awk -v d="$1" -v t0="$t0" -v t1="$t1" -v hz="$CLK" 'BEGIN{printf "%.1f", d/hz/(t1-t0)*100}'; }
# Each bridge thread's CPU ticks over the window, with its name, busiest first.
threadticks() { awk 'NR==FNR{a[$1]=$2; next} ($1 in a) && $2-a[$1]>0 {print $2-a[$1], $3}' "$WORK/t0.txt" "$WORK/t1.txt" | sort -rn; }
cpu_pct=$(pct $((c1 - c0)))
busiest=$(pct "$(threadticks | awk 'NR==1{print $1} END{if(NR==0)print 0}')")
sipp_pct=$(pct $((s1 - s0)))
rates=$(awk -v i0="$in0" -v i1="$in1" -v o0="$out0" -v o1="$out1" -v t0="$m0" -v t1="$m1" 'BEGIN{printf "%d/%d", (i1-i0)/(t1-t0), (o1-o0)/(t1-t0)}')
lost=$(awk -v a="$sd0" -v b="$sd1" -v c="$dr0" -v d="$dr1" 'BEGIN{print (b-a)+(d-c)}')
where=$(awk -v q=$((sd1 - sd0)) 'NR==FNR{a[$1]=$2; next} $2-a[$1]>0 {printf "%s %d; ", $1, $2-a[$1]}
  END{printf "socket receive queues full %d", q}' "$WORK/d0.txt" "$WORK/d1.txt")
printf "%srooms=%s N=%s talkers=%s rate=%s realtime-loops=%s legs=%s: bridge CPU %s %% of one core (busiest thread %s %%; SIPp %s %%), packets in/out per s %s, tick lateness p50 %s ms p99 %s ms max %s ms, ticks skipped %s, packets lost inside the bridge %s%s, RSS %s MB, largest gap to one caller %s ms (%s packets seen, %s dropped by the capture)\n" \
  "$([ "${CODEC:-PCMU}" = opus ] && echo "opus (${OPUS_LIBRARY:-concentus}) ")$([ "${SRTP:-0}" = 1 ] && echo "srtp ")$([ "${SRTP:-0}" = pcap ] && echo "plain-pcap ")" "$ROOMS" "$N" "$K" "${RATE:-16000}" "$(metric bridge_mixer_loops_realtime | cut -d. -f1)" "${legs%.*}" "$cpu_pct" "$busiest" "$sipp_pct" "$rates" "$p50" "$p99" "$max" "$(awk -v a="$skipped0" -v b="$skipped1" 'BEGIN{print b-a}')" "$lost" "${where:+ ($where)}" "$rss" "$gap" "$pkts" "$capdrop"
if [ -n "${THREADS:-}" ]; then
  threadticks | while read -r ticks name; do printf "  %5s %%  %s\n" "$(pct "$ticks")" "$name"; done
fi
