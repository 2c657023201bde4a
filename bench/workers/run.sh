#!/usr/bin/env bash
# Throughput of hedgeflow against the number of worker processes: a real
# nats-server with JetStream on a loopback port, N "hedgeflow worker"
# processes of one pricing goroutine each, and "hedgeflow run --workers -1"
# publishing the run and aggregating it. Prints one table row per N.
#
#   bench/workers/run.sh [N ...]             # default: 1 2 4
#   SCENARIOS=300 PATHS=500 PARTITION=10 bench/workers/run.sh 1 2 4
#
# Needs nats-server on PATH or in $(go env GOPATH)/bin (go install
# github.com/nats-io/nats-server/v2@v2.15.2). Every process it starts is
# stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCENARIOS=${SCENARIOS:-300}
PATHS=${PATHS:-500}
PARTITION=${PARTITION:-10}
REPEAT=${REPEAT:-1}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 4)

nats_server=${HEDGEFLOW_NATS_SERVER:-$(command -v nats-server || echo "$(go env GOPATH)/bin/nats-server")}
[ -x "$nats_server" ] || { echo "bench: no nats-server binary (go install github.com/nats-io/nats-server/v2@v2.15.2)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/hedgeflow" ./cmd/hedgeflow
port=$(( 20000 + RANDOM % 10000 ))
url="nats://127.0.0.1:$port"

echo "hedgeflow workers benchmark: $SCENARIOS scenarios x $PATHS paths, partitions of $PARTITION, $(nproc) CPUs"
printf '%-8s %12s %12s %16s %9s\n' workers wall_s pricing_s scenarios/s speedup
base=""
for n in "${counts[@]}"; do
  best=""
  for r in $(seq "$REPEAT"); do
    # A fresh server and store for every measurement.
    "$nats_server" -js -a 127.0.0.1 -p "$port" -sd "$work/js-$n-$r" >"$work/nats.log" 2>&1 &
    srv=$!; pids+=("$srv")
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
    wpids=()
    for i in $(seq "$n"); do
      "$work/hedgeflow" worker --nats "$url" --workers 1 --name "bench-$i" 2>>"$work/workers.log" &
      wpids+=($!); pids+=($!)
    done
    start=$(date +%s.%N)
    "$work/hedgeflow" run --nats "$url" --workers -1 --scenarios "$SCENARIOS" --paths "$PATHS" \
      --partition-size "$PARTITION" --out "$work/out" >/dev/null 2>>"$work/run.log"
    end=$(date +%s.%N)
    pricing=$(grep -o '"pricing_seconds": *[0-9.e+-]*' "$work/out/report.json" | sed 's/.*: *//')
    wall=$(echo "$end - $start" | bc -l)
    for p in "${wpids[@]}"; do kill -TERM "$p"; done
    for p in "${wpids[@]}"; do wait "$p" || true; done
    kill "$srv"; wait "$srv" 2>/dev/null || true
    if [ -z "$best" ] || [ "$(echo "$pricing < $best" | bc -l)" = 1 ]; then best=$pricing; bestwall=$wall; fi
  done
  rate=$(echo "$SCENARIOS / $best" | bc -l)
  [ -n "$base" ] || base=$rate
  printf '%-8s %12.2f %12.2f %16.1f %8.2fx\n' "$n" "$bestwall" "$best" "$rate" "$(echo "$rate / $base" | bc -l)"
done
