#!/usr/bin/env bash
# Regenerates the shipped voice prompts from scripts/prompts.tsv with espeak-ng and sox (Debian
# packages espeak-ng, sox): 16 kHz, mono, 16-bit PCM, normalised to -3 dBFS, 150 ms of silence
# before and after. The output is committed; admins replace files via prompts.dir instead.
set -euo pipefail
cd "$(dirname "$0")/.."
out=conference-core/src/main/resources/prompts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v espeak-ng >/dev/null && command -v sox >/dev/null || {
  echo "needs espeak-ng and sox: apt-get install espeak-ng sox" >&2; exit 1; }
while IFS=$'\t' read -r id lang text; do
  case "$id" in ''|'#'*) continue ;; esac
  mkdir -p "$out/$lang"
  espeak-ng -v "$lang" -s 145 -w "$tmp/raw.wav" "$text"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$lang/$id.wav" \
      norm -3 pad 0.15 0.15
  echo "$out/$lang/$id.wav"
done < scripts/prompts.tsv
