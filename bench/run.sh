#!/usr/bin/env bash
# Runs the Fangyi benchmark on both stores: installs the PostgreSQL server from Debian packages when it is missing,
# starts a throwaway one on a loopback port in a temp folder, runs bench/Fangyi.Bench in Release against it (and
# against a temp SQLite file), then stops it. Extra arguments go to the benchmark (see --help), for example:
#   bench/run.sh --items 50000 --residents 200000
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "installing: postgresql"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
tmp=$(mktemp -d /tmp/fangyi-bench.XXXXXX)
chmod 755 "$tmp"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"

port=56432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Durable settings as a production server has them (fsync and synchronous_commit on), with memory for bulk loads.
as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U fangyi -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB -c max_wal_size=4GB -c maintenance_work_mem=256MB" \
  start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port"

export FANGYI_BENCH_PG="Host=127.0.0.1;Port=$port;Username=fangyi;Database=postgres;Pooling=true;Maximum Pool Size=100"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project bench/Fangyi.Bench -- "$@"
