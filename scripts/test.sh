#!/usr/bin/env bash
# Runs every Fangyi test on a machine that has only the .NET SDK. Installs what the tests need from Debian
# packages when it is missing (PostgreSQL server, Chromium, CJK fonts, poppler for reading PDFs back, Node and npm
# for the build's one-time `npm ci`), starts a throwaway PostgreSQL on a
# loopback port in a temp folder, runs `dotnet test`, stops the server, and exits non-zero on any failure.
# Extra arguments go to `dotnet test` (for example: --filter Residents).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
dpkg -s fonts-arphic-gbsn00lp >/dev/null 2>&1 || need+=(fonts-arphic-gbsn00lp)   # the PDF labels' CJK face
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v npm >/dev/null || need+=(nodejs npm)   # the build fetches the front-end libraries once (src/Fangyi/ClientApp)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
tmp=$(mktemp -d /tmp/fangyi-test.XXXXXX)
chmod 755 "$tmp"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"

port=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U fangyi -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port"

export FANGYI_TEST_PG="Host=127.0.0.1;Port=$port;Username=fangyi;Database=postgres;Pooling=true;Maximum Pool Size=40"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

set +e
dotnet test Fangyi.sln -c Release "$@" 2>&1 | tee "$tmp/test.log"
status=${PIPESTATUS[0]}
set -e

# The plain closing line: totals over every test assembly's summary.
sum() { grep -oE "$1: +[0-9]+" "$tmp/test.log" | awk '{ n += $2 } END { print n + 0 }'; }
echo "$(sum Passed) passed, $(sum Failed) failed"
exit "$status"
