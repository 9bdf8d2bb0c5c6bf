#!/usr/bin/env bash
# Runs the Fangyi benchmark on both stores: installs the PostgreSQL server and wrk from Debian packages when missing,
# starts a throwaway one on a loopback port in a temp folder, runs bench/Fangyi.Bench in Release against it (and
# against a temp SQLite file), then stops it. Extra arguments go to the benchmark (see --help), for example:
#   bench/run.sh --items 50000 --residents 200000
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/postgres.sh
# wrk plays the phones and kiosks in the HTTP benchmarks: a load generator in C costs the two cores far less
# per request than a .NET client would.
# Chromium and the ID card's OCR-B face for the phone-camera benches (qr-camera, id-ocr).
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-ocr-b >/dev/null 2>&1 || need+=(fonts-ocr-b)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Durable settings as a production server has them (fsync and synchronous_commit on), with memory for bulk loads.
start_postgres fangyi-bench 56432 shared_buffers=512MB max_wal_size=4GB maintenance_work_mem=256MB
port=$PG_PORT

export FANGYI_BENCH_PG="Host=127.0.0.1;Port=$port;Username=fangyi;Database=postgres;Pooling=true;Maximum Pool Size=100"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project bench/Fangyi.Bench -- "$@"
