# Shared PostgreSQL helpers for scripts/run.sh and scripts/test.sh (sourced, not executed).
# PostgreSQL refuses to run as root, so the cluster runs as the system user `postgres`.

pg_bin_dir() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || true)
  if [ -z "$initdb" ]; then
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [ -n "$initdb" ] && dirname "$initdb"
}

# Installs PostgreSQL with apt-get when it is missing (unattended).
pg_ensure_installed() {
  if [ -z "$(pg_bin_dir)" ]; then
    echo "==> installing PostgreSQL (apt-get)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN=$(pg_bin_dir)
  [ -n "$PG_BIN" ] || { echo "error: PostgreSQL binaries not found after install" >&2; return 1; }
  id postgres >/dev/null 2>&1 || as_root useradd --system --shell /usr/sbin/nologin postgres
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi
}

# pg_start DIR PORT [extra server options]: creates the cluster in DIR/data if needed and starts it.
pg_start() {
  local dir=$1 port=$2; shift 2
  as_root mkdir -p "$dir"
  as_root chown postgres:postgres "$dir"
  as_root chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    return 0
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" >/dev/null
}

pg_stop() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# pg_port_free PORT: succeeds when nothing listens on 127.0.0.1:PORT.
pg_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
