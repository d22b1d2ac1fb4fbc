#!/usr/bin/env bash
# Screenshot of the Flink web UI showing the running Midstream job, with Debian's headless Chromium
# (apt-get install -y chromium). Not part of CI.
#   deploy/local/screenshot-ui.sh [out.png]      # REST at http://localhost:${MIDSTREAM_REST_PORT:-8081}
set -euo pipefail
out="${1:-flink-ui.png}"
rest="http://localhost:${MIDSTREAM_REST_PORT:-8081}"
command -v chromium >/dev/null || { echo "screenshot-ui: install Chromium first: apt-get install -y chromium" >&2; exit 2; }
job="$(curl -sf "$rest/jobs/overview" | grep -o '"jid":"[0-9a-f]*","name":"midstream-[^"]*","start-time":[0-9]*,"end-time":-1' \
    | head -1 | sed 's/"jid":"\([0-9a-f]*\)".*/\1/')" || true
[[ -n "$job" ]] || { echo "screenshot-ui: no running midstream job at $rest" >&2; exit 1; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# Flags that keep Chromium off the network it cannot reach here, and out of the sandbox it cannot use as root.
# The UI polls forever, so virtual time ends the page's work; timeout bounds a hung browser.
timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --virtual-time-budget=10000 --window-size=1600,1000 --screenshot="$out" \
    "$rest/#/job/running/$job/overview" >/dev/null 2>&1
echo "screenshot-ui: job $job → $out"
