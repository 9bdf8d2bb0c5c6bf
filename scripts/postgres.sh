# Sourced by scripts/test.sh and bench/run.sh: a throwaway PostgreSQL in a temp folder on a free loopback port.
# start_postgres PREFIX FIRST_PORT [extra server settings...] installs the server from Debian when it is
# missing, starts it with trust authentication for the user "fangyi", sets PG_PORT and PG_TMP, and stops it and
# removes the folder when the calling script exits.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local prefix=$1 port=$2
  shift 2
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "installing: postgresql"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_TMP=$(mktemp -d "/tmp/$prefix.XXXXXX")
  chmod 755 "$PG_TMP"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_TMP"; fi
  trap 'as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PG_TMP"' EXIT
  as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U fangyi -E UTF8 --locale=C.UTF-8 >/dev/null
  # A port can be taken in ways a connect probe does not see (another server's lock file for it), so a failed
  # start moves on to the next port.
  local tries
  for tries in $(seq 1 20); do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    PG_PORT=$port
    local settings="-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=300"
    for setting in "$@"; do settings="$settings -c $setting"; done
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/postgres.log" -w -o "$settings" start >/dev/null; then
      echo "PostgreSQL on 127.0.0.1:$PG_PORT"
      return 0
    fi
    port=$((port + 1))
  done
  echo "PostgreSQL did not start; its log:" >&2
  cat "$PG_TMP/postgres.log" >&2
  return 1
}
