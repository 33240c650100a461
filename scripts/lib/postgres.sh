# Shared PostgreSQL helpers for scripts/run.sh, scripts/test.sh and scripts/bench.sh (sourced, not executed).
# PostgreSQL refuses to run as root, so the cluster runs as the system user `postgres`.

pg_bin_dir() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || true)
  if [ -z "$initdb" ]; then
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  # Resolved: a symbolic link in /usr/local/bin may stand for the real folder, where psql is too.
  [ -n "$initdb" ] && dirname "$(readlink -f "$initdb")"
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

# The login roles of every cluster the scripts start, each with a password generated once per cluster.
PG_ROLES="postgres compliancehub_owner compliancehub_app"

# A new password: 32 random bytes, base64url without padding (no ':' or '\' to escape in a pgpass file, no quote in SQL).
pg_new_password() {
  head -c 32 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '='
}

# pg_password DIR ROLE: ROLE's password, from the cluster's credentials file DIR/pgpass.
pg_password() {
  awk -F: -v role="$2" '$1 == "127.0.0.1" && $4 == role { print $5; exit }' "$1/pgpass"
}

# pg_credentials DIR PORT: DIR/pgpass, in libpq's pgpass format (host:port:database:user:password), holds a password for
# every role of PG_ROLES: the ones it already has, new ones for the rest; one line for TCP on 127.0.0.1, one for the socket
# in DIR. Rewritten for PORT on every start (a cluster may move port); mode 0600 and owned by the invoking account (the one that runs the portal or the tests), which reaches it
# through DIR (0711, owned by postgres). Sets PG_CREDENTIALS_NEW=1 when the file had no superuser password.
pg_credentials() {
  local dir=$1 port=$2 file=$1/pgpass role password lines="" socket
  socket=$(printf '%s' "$dir" | sed -e 's/[\\:]/\\&/g') # the socket folder, as libpq names it, with \ and : escaped
  PG_CREDENTIALS_NEW=0
  if ! as_root test -s "$file"; then
    PG_CREDENTIALS_NEW=1
  elif [ ! -r "$file" ]; then
    echo "error: $file belongs to another account; run as $(as_root stat -c %U "$file") or remove it" >&2
    return 1
  elif [ -z "$(pg_password "$dir" postgres)" ]; then
    PG_CREDENTIALS_NEW=1
  fi
  for role in $PG_ROLES; do
    password=""
    if [ -s "$file" ]; then password=$(pg_password "$dir" "$role"); fi
    [ -n "$password" ] || password=$(pg_new_password)
    lines+="127.0.0.1:$port:*:$role:$password"$'\n'"$socket:$port:*:$role:$password"$'\n'
  done
  as_root install -m 0600 -o "$(id -u)" -g "$(id -g)" /dev/null "$file.new"
  printf '%s' "$lines" >"$file.new"
  as_root mv -f "$file.new" "$file"
}

# Every connection, over the socket or TCP, replication included, authenticates with a scram-sha-256 password.
pg_hba_scram() {
  cat <<'HBA'
# Written by scripts/lib/postgres.sh: every role authenticates with its scram-sha-256 password (DIR/pgpass).
# TYPE  DATABASE        USER            ADDRESS                 METHOD
local   all             all                                     scram-sha-256
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
local   replication     all                                     scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             ::1/128                 scram-sha-256
HBA
}

# pg_hba_needs_scram DIR: succeeds when a rule of the cluster's pg_hba.conf asks for anything but scram-sha-256 (a cluster
# made by the scripts before they used passwords: initdb --auth=trust).
pg_hba_needs_scram() {
  as_postgres awk '!/^[[:space:]]*(#|$)/ && $NF != "scram-sha-256" { found = 1 } END { exit !found }' "$1/data/pg_hba.conf"
}

# pg_secure DIR: gives an existing cluster the superuser password of DIR/pgpass and scram-sha-256 rules, unattended
# (single-user mode, so it needs neither the old rules nor the old password); the cluster is stopped first.
pg_secure() {
  local dir=$1
  echo "securing the cluster in $dir: scram-sha-256 passwords for every role"
  pg_stop "$dir"
  # The statement goes through stdin, never a command line; single-user mode logs no statement.
  printf "ALTER ROLE postgres PASSWORD '%s'\n" "$(pg_password "$dir" postgres)" \
    | as_postgres sh -c '"$1" --single -D "$2/data" -c password_encryption=scram-sha-256 postgres >/dev/null 2>>"$2/server.log"' \
      sh "$PG_BIN/postgres" "$dir"
  pg_hba_scram | as_postgres sh -c 'cat >"$1"' sh "$dir/data/pg_hba.conf"
}

# pg_start DIR PORT [extra server options]: creates the cluster in DIR/data if needed (scram-sha-256 for every connection,
# the passwords in DIR/pgpass), secures one made without passwords, starts it and checks the superuser's password.
pg_start() {
  local dir port=$2
  dir=$(realpath -m -- "$1") # the server runs in DIR/data: the socket folder must not be relative
  shift 2
  as_root mkdir -p "$dir"
  as_root chown postgres:postgres "$dir"
  # Traversable, not listable: the invoking account reaches its credentials file and the socket, nothing else.
  as_root chmod 711 "$dir"
  pg_credentials "$dir" "$port"
  if ! as_postgres test -f "$dir/data/PG_VERSION"; then
    # initdb reads the superuser's password from a file only postgres can read, removed at once.
    pg_password "$dir" postgres | as_postgres sh -c 'umask 077; cat >"$1"' sh "$dir/pwfile"
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pwfile" \
      -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres rm -f "$dir/pwfile"
  elif [ "$PG_CREDENTIALS_NEW" -eq 1 ] || pg_hba_needs_scram "$dir"; then
    pg_secure "$dir"
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c password_encryption=scram-sha-256 $*" >/dev/null
  fi
  if [ "$(stat -c '%a %u' "$dir/pgpass")" != "600 $(id -u)" ]; then
    echo "error: $dir/pgpass must be mode 600 and owned by $(id -un)" >&2
    return 1
  fi
  # The superuser signs in with the file's password.
  PGPASSFILE="$dir/pgpass" "$PG_BIN/psql" -w -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null
}

# pg_export_connection_strings DIR PORT DATABASE: the CLI's and the portal's three connection strings, as environment
# variables; each names the credentials file DIR/pgpass (Npgsql's Passfile), none holds a password.
pg_export_connection_strings() {
  local passfile=$1/pgpass port=$2 database=$3
  export ConnectionStrings__PostgresSuperuser="Host=127.0.0.1;Port=$port;Database=postgres;Username=postgres;Passfile=$passfile"
  export ConnectionStrings__ComplianceHubOwner="Host=127.0.0.1;Port=$port;Database=$database;Username=compliancehub_owner;Passfile=$passfile"
  export ConnectionStrings__ComplianceHub="Host=127.0.0.1;Port=$port;Database=$database;Username=compliancehub_app;Passfile=$passfile"
}

# pg_with_role_passwords DIR COMMAND...: runs COMMAND (the CLI's provision) with the owner's and the application role's
# passwords from DIR/pgpass in CH_OWNER_PASSWORD and CH_APP_PASSWORD, for that command alone.
pg_with_role_passwords() {
  local dir=$1; shift
  CH_OWNER_PASSWORD=$(pg_password "$dir" compliancehub_owner) CH_APP_PASSWORD=$(pg_password "$dir" compliancehub_app) "$@"
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
