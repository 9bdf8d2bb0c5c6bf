#!/usr/bin/env bash
# Runs every Fangyi test on a machine that has only the .NET SDK. Installs what the tests need from Debian
# packages when it is missing (PostgreSQL server, Chromium, CJK fonts, poppler for reading PDFs back, Node and npm
# for the build's one-time `npm ci`), starts a throwaway PostgreSQL on a
# loopback port in a temp folder, runs `dotnet test`, stops the server, and exits non-zero on any failure.
# Extra arguments go to `dotnet test` (for example: --filter Residents).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/postgres.sh

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
dpkg -s fonts-arphic-gbsn00lp >/dev/null 2>&1 || need+=(fonts-arphic-gbsn00lp)   # the PDF labels' CJK face
dpkg -s fonts-ocr-b >/dev/null 2>&1 || need+=(fonts-ocr-b)   # the ID card number's face, for the synthetic cards
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v npm >/dev/null || need+=(nodejs npm)   # the build fetches the front-end libraries once (src/Fangyi/ClientApp)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

start_postgres fangyi-test 55432 shared_buffers=256MB
tmp=$PG_TMP
port=$PG_PORT

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
