#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests that start the real bridge jar and drive it
# with real SIP clients on 127.0.0.1. Installs those clients and the test-only tools (Debian
# packages) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v baresip >/dev/null 2>&1 || missing+=(baresip-core)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)          # G.722 reference (tests only)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)    # speech for the DTMF false-alarm test
command -v chromium >/dev/null 2>&1 || missing+=(chromium)      # dashboard test (headless)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test clients: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

exec mvn -B verify "$@"
