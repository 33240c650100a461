#!/usr/bin/env bash
# A local nginx load balancer in front of several ComplianceHub instances (issue 24, docs/operations/load-balancer.md):
#   scripts/lb.sh start --dir DIR --listen PORT --upstream 127.0.0.1:P1 --upstream 127.0.0.1:P2 [--listen-address 127.0.0.1]
#   scripts/lb.sh stop --dir DIR
# start writes DIR/nginx.conf (pid file, logs and temporary files all in DIR; nothing outside it) and starts nginx as a
# daemon; stop stops it. nginx is installed with apt-get when missing. Start each instance with
# ReverseProxy__TrustedProxies__0=<the address nginx connects from> so that it believes X-Forwarded-For/-Proto.
#
# Affinity: Debian's nginx has no `sticky`. A Blazor circuit lives in one instance's memory, and its page, /_blazor/negotiate
# and WebSocket must reach that instance, before sign-in as much as after (the sign-in cookie changes at sign-in and is
# chunked). So nginx gives each browser a small affinity cookie of its own (ch_lb, a random request id, no personal data) on
# its first response and routes by `hash $ch_lb_key consistent`: the same browser reaches the same instance until that
# instance fails, then only the browsers it held move (consistent hashing). Sessions themselves are server-side in the
# database and the key ring is shared, so the user stays signed in on the survivor; only the circuit is opened again.
set -euo pipefail

usage() { sed -n '2,4p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
command=$1; shift
DIR="" LISTEN="" ADDRESS=127.0.0.1 UPSTREAMS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --listen) LISTEN=$2; shift 2 ;;
    --listen-address) ADDRESS=$2; shift 2 ;;
    --upstream) UPSTREAMS+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
[ -n "$DIR" ] || { echo "error: --dir is required" >&2; exit 2; }
DIR=$(realpath -m -- "$DIR")

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

case "$command" in
  start)
    [ -n "$LISTEN" ] || { echo "error: --listen PORT is required" >&2; exit 2; }
    [ ${#UPSTREAMS[@]} -ge 1 ] || { echo "error: at least one --upstream HOST:PORT is required" >&2; exit 2; }
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
      echo "==> installing nginx (apt-get)"
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx-light >/dev/null 2>&1 \
        || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx >/dev/null
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    mkdir -p "$DIR/logs" "$DIR/temp"
    servers=""
    for upstream in "${UPSTREAMS[@]}"; do
      # A dead instance is skipped for 10 s after one failure; a failed request moves to the next (proxy_next_upstream).
      servers+="        server $upstream max_fails=1 fail_timeout=10s;"$'\n'
    done
    user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user root;" # workers keep the invoking account (the folder is its own)
    cat >"$DIR/nginx.conf" <<CONF
# Written by scripts/lb.sh: ComplianceHub behind nginx, affinity by an nginx cookie (see the script's header).
$user_line
daemon on;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $DIR/temp/body;
    proxy_temp_path $DIR/temp/proxy;
    fastcgi_temp_path $DIR/temp/fastcgi;
    uwsgi_temp_path $DIR/temp/uwsgi;
    scgi_temp_path $DIR/temp/scgi;
    log_format upstreams '\$remote_addr [\$time_iso8601] "\$request" \$status upstream=\$upstream_addr '
                         'upstream_status=\$upstream_status lb=\$ch_lb_key rt=\$request_time';
    access_log $DIR/logs/access.log upstreams;
    client_max_body_size 64m; # roster files; the portal enforces its own limit

    # The affinity key: the browser's ch_lb cookie, or a new random one for a browser without it (sent back below).
    map \$cookie_ch_lb \$ch_lb_key {
        ""      \$request_id;
        default \$cookie_ch_lb;
    }
    map \$cookie_ch_lb \$ch_lb_set {
        ""      "ch_lb=\$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }
    # WebSockets: Connection: upgrade only when the client asked for one.
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ""      close;
    }

    upstream compliancehub {
        hash \$ch_lb_key consistent;
$servers        keepalive 32;
    }

    server {
        listen $ADDRESS:$LISTEN;
        server_tokens off;
        # Inherited by both locations (neither sets a proxy_set_header or add_header of its own).
        proxy_http_version 1.1;
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_set_header Upgrade \$http_upgrade;
        proxy_set_header Connection \$connection_upgrade;
        add_header Set-Cookie \$ch_lb_set always;
        proxy_connect_timeout 5s;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 2;

        location / {
            proxy_pass http://compliancehub;
        }
        # Blazor's circuits: long-lived WebSockets (the portal pings every 15 s; a quiet circuit must not be cut).
        location /_blazor {
            proxy_pass http://compliancehub;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_buffering off;
        }
    }
}
CONF
    "$NGINX" -t -q -p "$DIR" -c "$DIR/nginx.conf" 2>"$DIR/logs/check.log" \
      || { cat "$DIR/logs/check.log" >&2; echo "error: nginx refused $DIR/nginx.conf" >&2; exit 1; }
    "$NGINX" -p "$DIR" -c "$DIR/nginx.conf"
    for _ in $(seq 1 50); do
      [ -s "$DIR/nginx.pid" ] && break
      sleep 0.1
    done
    [ -s "$DIR/nginx.pid" ] || { echo "error: nginx did not start (see $DIR/logs/error.log)" >&2; exit 1; }
    echo "nginx (pid $(cat "$DIR/nginx.pid")) listens on $ADDRESS:$LISTEN for ${UPSTREAMS[*]}"
    ;;
  stop)
    if [ -s "$DIR/nginx.pid" ]; then
      NGINX=$(command -v nginx || echo /usr/sbin/nginx)
      "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
      for _ in $(seq 1 100); do
        [ -s "$DIR/nginx.pid" ] || break
        sleep 0.1
      done
      if [ -s "$DIR/nginx.pid" ]; then kill -9 "$(cat "$DIR/nginx.pid")" 2>/dev/null || true; rm -f "$DIR/nginx.pid"; fi
    fi
    ;;
  *) usage ;;
esac
