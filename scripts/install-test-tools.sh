#!/usr/bin/env bash
# Installs what the tests drive or measure with, from Debian packages, when it is missing: the SIP
# clients (SIPp, baresip), sox, libopus (codecs.opusLibrary = libopus is tested too), and the
# test-only tools (ffmpeg as the G.722 reference, espeak-ng for speech, Chromium and its driver for
# the dashboard, sipvicious for scans, tcpdump to see what an eavesdropper sees, openssl to make certificates and try old TLS,
# Kamailio with the shipped deploy/kamailio config in front of two nodes, redis-server for the nodes'
# shared state). Part of the README's test command:
#   scripts/install-test-tools.sh && mvn -B verify
set -euo pipefail

missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v baresip >/dev/null 2>&1 || missing+=(baresip-core)
command -v sox >/dev/null 2>&1 || missing+=(sox)
dpkg -s libopus0 >/dev/null 2>&1 || missing+=(libopus0)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v svmap >/dev/null 2>&1 || missing+=(sipvicious)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/sbin/kamailio ] || command -v kamailio >/dev/null 2>&1 || missing+=(kamailio)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test tools: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
