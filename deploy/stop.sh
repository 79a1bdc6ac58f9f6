#!/usr/bin/env bash
# Stop the nginx and the replicas deploy/start.sh started (by their pid files in RUN_DIR).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=$(realpath -m "${RUN_DIR:-$ROOT/deploy/run}")

if [ -f "$RUN_DIR/nginx.pid" ]; then
    "${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}" -s quit -e "$RUN_DIR/logs/error.log" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" 2>/dev/null || kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
fi
for pidfile in "$RUN_DIR"/replica-*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # only if the number is still our replica's (after a reboot it may belong to another process)
    if grep -qs "streamlit" "/proc/$pid/cmdline"; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile"
done
echo "已停止（$RUN_DIR）"
