#!/usr/bin/env bash
# N read-only replicas of the dashboard on 127.0.0.1 and nginx in front of them, on one machine.
#
#   deploy/start.sh                     # 2 replicas on 8601-8602, nginx on https://<this machine>:8443/
#   REPLICAS=3 LISTEN=443 SERVER_NAME=fazhi.example.gov.cn CERT=/etc/ssl/fazhi.crt KEY=/etc/ssl/fazhi.key deploy/start.sh
#   deploy/stop.sh                      # stops what this started (pid files in RUN_DIR)
#
# Settings (environment):
#   DASHBOARD_DB   the warehouse every replica reads (default data/warehouse.duckdb). Loads
#                  (`python -m etl load`, the data page) write a copy and swap it in; every replica sees the
#                  new file on its next query. Keep it on a local disk, never a network share.
#   REPLICAS       how many Streamlit processes (default 2); FIRST_PORT their first port (default 8601)
#   RUN_DIR        nginx.conf, pid files, logs, nginx's temp files (default deploy/run)
#   LISTEN         nginx's [address:]port (default 8443; 443 needs root or CAP_NET_BIND_SERVICE)
#   SERVER_NAME    the site's host name (default _ = any)
#   CERT, KEY      TLS certificate and key; without them a self-signed pair is made in RUN_DIR/tls (for a try)
#   REDIRECT_FROM  also listen here (e.g. 80) and redirect to https
#   HTPASSWD       nginx signs people in against this file and passes the user in [auth] proxy_header
#   NGINX_BIN      the nginx binary (default: nginx on PATH, else /usr/sbin/nginx; not NGINX, which nginx itself reads)
#   PY             the Python with the dashboard's packages (default .venv/bin/python)
#   NGINX_USER     who nginx's workers run as when root starts it (default: the owner of this checkout if not root, else nobody)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"  # Streamlit reads .streamlit/config.toml from the working folder
PY=${PY:-$ROOT/.venv/bin/python}
REPLICAS=${REPLICAS:-2}
FIRST_PORT=${FIRST_PORT:-8601}
RUN_DIR=$(realpath -m "${RUN_DIR:-$ROOT/deploy/run}")
LISTEN=${LISTEN:-8443}
SERVER_NAME=${SERVER_NAME:-_}
DASHBOARD_DB=$(realpath -m "${DASHBOARD_DB:-$ROOT/data/warehouse.duckdb}")
export DASHBOARD_DB

if [ "${DASHBOARD_AUTH:-}" = "off" ]; then
    # The app allows "off" when it listens on 127.0.0.1, and behind nginx it does: it cannot tell
    # that nginx hands it the network. Everyone who reaches nginx would be an admin.
    echo "错误：DASHBOARD_AUTH=off 不能用在 nginx 后面（所有能访问 nginx 的人都会成为管理员）" >&2
    exit 1
fi
if [ ! -f "$DASHBOARD_DB" ]; then
    echo "错误：没有数据库 $DASHBOARD_DB（先 make db，或 python -m etl load 台账.xlsx）" >&2
    exit 1
fi
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX_BIN" ] || { echo "错误：没有 nginx（Debian: apt-get install nginx）" >&2; exit 1; }
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
# The logs are their owner's only: nginx's access log names each download's /media/<id> address, which is served
# to anyone who has it, with no session (nginx's workers write through the files its master opened).
chmod 700 "$RUN_DIR/logs"
# nginx sends this secret with every request it passes on, and the replicas trust its X-Real-IP (the browser's
# address, for the audit log and sign-in limits) and its sign-in header only on a request carrying it: any user
# of this machine can reach a replica's port directly and send those headers, not this one. Made once, kept in
# the run folder readable by its owner only (so replicas started later share it).
if [ ! -s "$RUN_DIR/proxy.secret" ]; then
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(48))" >"$RUN_DIR/proxy.secret")
fi
DASHBOARD_PROXY_SECRET=$(cat "$RUN_DIR/proxy.secret")
export DASHBOARD_PROXY_SECRET
# uvicorn (Streamlit's server) trusts X-Forwarded-For from 127.0.0.1 by default, so any local client could choose
# the address a replica sees; with this empty it trusts none, and nginx's vouched X-Real-IP is the browser's address.
export FORWARDED_ALLOW_IPS=""
# Started by root, nginx's workers would run as nobody, and any other process running as nobody could read the
# secret from their memory: they run as the owner of this checkout instead (unless NGINX_USER says otherwise),
# whose processes can change the dashboard's code anyway.
if [ "$(id -u)" = 0 ] && [ -z "${NGINX_USER:-}" ] && [ "$(stat -c %U "$ROOT")" != root ]; then
    NGINX_USER=$(stat -c %U "$ROOT")
fi
export NGINX_USER=${NGINX_USER:-}

if [ -z "${CERT:-}" ]; then
    [ -f "$RUN_DIR/tls/selfsigned.crt" ] || "$ROOT/deploy/selfsigned.sh" "$RUN_DIR/tls" localhost >/dev/null
    CERT=$RUN_DIR/tls/selfsigned.crt
    KEY=$RUN_DIR/tls/selfsigned.key
    echo "用的是自签名证书 $CERT（浏览器会提示不安全，只用于试用）"
fi
[ -n "${KEY:-}" ] || { echo "错误：给了 CERT 也要给 KEY（证书的私钥）" >&2; exit 1; }

# From here on every file made is its owner's only: the users database, the replicas' warehouse copies, masked
# copies and spill files (they hold every town's rows and the password hashes), and the log files nginx creates.
umask 077
# First start: an admin account with a random password, printed once (nothing happens when users exist).
"$PY" -m analytics users init

# The upload box's limit is settings.toml's [limits] upload_max_mb (as make run/serve pass it).
UPLOAD_MB=$("$PY" -c "from analytics import settings; print(settings.limit('upload_max_mb'))")

ports=()
for ((i = 0; i < REPLICAS; i++)); do
    port=$((FIRST_PORT + i))
    ports+=("$port")
    pidfile=$RUN_DIR/replica-$port.pid
    # running, and still our replica (after a reboot the number may belong to another process)
    if [ -f "$pidfile" ] && grep -qs "streamlit" "/proc/$(cat "$pidfile")/cmdline"; then
        echo "副本 $port 已在运行"
        continue
    fi
    nohup "$PY" -m streamlit run dashboard.py \
        --server.address 127.0.0.1 --server.port "$port" --server.headless true \
        --server.fileWatcherType none --browser.gatherUsageStats false --server.maxUploadSize "$UPLOAD_MB" \
        >"$RUN_DIR/logs/replica-$port.log" 2>&1 &
    echo $! >"$pidfile"
done

for port in "${ports[@]}"; do
    "$PY" - "$port" "$(cat "$RUN_DIR/replica-$port.pid")" "$RUN_DIR/logs/replica-$port.log" <<'PYEOF'
import os, sys, time, urllib.request
port, pid, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
url = f"http://127.0.0.1:{port}/_stcore/health"
for _ in range(240):
    try:
        if urllib.request.urlopen(url, timeout=2).read().decode().strip() == "ok":
            sys.exit(0)
    except OSError:
        pass
    try:  # exited (e.g. "Port 8601 is not available"; a zombie until this script ends): say why, now
        ended = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        ended = True
    if ended:
        last = open(log, encoding="utf-8", errors="replace").read().strip().splitlines()[-3:]
        sys.exit(f"副本 {port} 没能启动，见 {log}：\n" + "\n".join(last))
    time.sleep(0.5)
sys.exit(f"副本 {port} 两分钟内没有就绪，见 {log}")
PYEOF
done

args=(--ports "$(IFS=,; echo "${ports[*]}")" --run-dir "$RUN_DIR" --listen "$LISTEN" --server-name "$SERVER_NAME"
      --cert "$CERT" --key "$KEY")
[ -z "${REDIRECT_FROM:-}" ] || args+=(--redirect-from "$REDIRECT_FROM")
[ -z "${HTPASSWD:-}" ] || args+=(--htpasswd "$HTPASSWD")
conf=$("$PY" -m deploy.render "${args[@]}")

"$NGINX_BIN" -t -q -e "$RUN_DIR/logs/error.log" -c "$conf" -p "$RUN_DIR"
if [ -f "$RUN_DIR/nginx.pid" ] && kill -0 "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null; then
    "$NGINX_BIN" -s reload -e "$RUN_DIR/logs/error.log" -c "$conf" -p "$RUN_DIR"
else
    "$NGINX_BIN" -e "$RUN_DIR/logs/error.log" -c "$conf" -p "$RUN_DIR"
fi
echo "看板：https://${SERVER_NAME/#_/localhost}:${LISTEN##*:}/ （${REPLICAS} 个副本：${ports[*]}；日志在 $RUN_DIR/logs）"
