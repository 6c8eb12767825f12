#!/usr/bin/env bash
# The capacity picture: callers in rooms of 4 (one talking in each, as in a consultation), raised
# step by step, each step a bench/load.sh run; records the bridge's CPU (% of one core), p99 tick
# lateness and packets lost, writes docs/capacity.csv and draws docs/capacity.svg (callers on x,
# CPU on y; a filled point held p99 <= 2 ms and 0 lost, a hollow one did not).
#
#   bench/capacity.sh [SECONDS] [N ...]      default: 20 s windows, N = 100 400 800 1200 1600 2000
#   bench/capacity.sh --plot                 draws docs/capacity.svg again from docs/capacity.csv
#   WARMUP=60 (default here) and the other load.sh variables pass through.
#
# Asterisk ConfBridge under the same SIPp load is not measured: this machine's Debian sources have
# no asterisk package (apt-cache policy asterisk: no candidate).
set -euo pipefail
cd "$(dirname "$0")/.."
CSV=docs/capacity.csv
if [ "${1:-}" != "--plot" ]; then
SECS=${1:-20}
shift || true
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(100 400 800 1200 1600 2000)
export WARMUP=${WARMUP:-60}
echo "callers,rooms,cpu_percent,p99_ms,lost,packets_in_per_s" > "$CSV"
for n in "${STEPS[@]}"; do
  rooms=$((n / 4))
  line=$(ROOMS=$rooms bench/load.sh "$n" "$rooms" "$SECS" | grep 'bridge CPU')
  cpu=$(sed -E 's/.*bridge CPU ([0-9.]+) %.*/\1/' <<< "$line")
  p99=$(sed -E 's/.* p99 ([0-9.]+) ms.*/\1/' <<< "$line")
  lost=$(sed -E 's/.*packets lost inside the bridge ([0-9]+).*/\1/' <<< "$line")
  rate=$(sed -E 's#.*packets in/out per s ([0-9]+)/.*#\1#' <<< "$line")
  echo "$n,$rooms,$cpu,$p99,$lost,$rate" >> "$CSV"
  echo "$n callers in $rooms rooms: $cpu % of one core, p99 $p99 ms, $lost lost, $rate packets/s in"
done
fi

# The plot: plain SVG, no library.
awk -F, 'NR > 1 {n[NR] = $1; c[NR] = $3; ok[NR] = ($4 <= 2 && $5 == 0); last = NR; if ($3 > maxc) maxc = $3; if ($1 > maxn) maxn = $1}
END {
  W = 640; H = 360; L = 60; B = 40; T = 20; R = 20;
  ymax = (int(maxc / 20) + 1) * 20; xmax = maxn;
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H;
  printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n";
  printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, H - B, W - R, H - B;
  printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, T, L, H - B;
  for (y = 0; y <= ymax; y += ymax / 5) {
    py = H - B - y / ymax * (H - B - T);
    printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>\n", L, py, W - R, py, L - 6, py + 4, y;
  }
  for (i = 2; i <= last; i++) {
    px = L + n[i] / xmax * (W - L - R);
    printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", px, H - B + 16, n[i];
  }
  printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">callers (rooms of 4, one talking in each)</text>\n", (L + W - R) / 2, H - 6;
  printf "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">bridge CPU, %% of one core</text>\n", (T + H - B) / 2, (T + H - B) / 2;
  path = "";
  for (i = 2; i <= last; i++) {
    px = L + n[i] / xmax * (W - L - R); py = H - B - c[i] / ymax * (H - B - T);
    path = path (i == 2 ? "M" : " L") sprintf("%.1f %.1f", px, py);
  }
  printf "<path d=\"%s\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n", path;
  for (i = 2; i <= last; i++) {
    px = L + n[i] / xmax * (W - L - R); py = H - B - c[i] / ymax * (H - B - T);
    printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" stroke=\"#1f5fa8\" fill=\"%s\"/>\n", px, py, ok[i] ? "#1f5fa8" : "white";
  }
  printf "<text x=\"%d\" y=\"%d\">filled: p99 tick lateness &lt;= 2 ms and 0 lost</text>\n", L + 10, T + 12;
  printf "</svg>\n";
}' "$CSV" > docs/capacity.svg
echo "wrote $CSV and docs/capacity.svg"
