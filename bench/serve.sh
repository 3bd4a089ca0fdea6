#!/usr/bin/env bash
# bench/serve.sh — load benchmark of the review service (`giamdinh serve`) on loopback.
#
#   bench/serve.sh [--people N] [--claims N] [--seconds S] [--connections C] [--keep DIR]
#
# Builds a synthetic country (default 200 k people, 20 k claims), imports it, verifies
# every claim file but one province's worth held back, starts the server on a free
# loopback port and measures with wrk (2 threads):
#   baseline     GET /favicon.svg (a static file served by the same process)
#   health       GET /api/v1/health (public JSON, no store access)
#   eligibility  GET /api/v1/eligibility?card=..&date=.. as a hospital's API token, the
#                card drawn at random from 10 000 registry cards (goal >= 20 000 req/s)
#   list         GET /api/v1/claims?limit=20 as a manager
#   resubmit     POST /api/v1/claims of an already decided file (the idempotent path)
# then submission throughput: every held-back claim file POSTed once, 4 at a time
# (curl), claims decided per second and p50/p99 of the requests.
# Ratios are against the baseline of the same run.  Needs wrk and curl (apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
people=200000 claims=20000 seconds=10 conns=32 keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --people) people=$2; shift 2;;
    --claims) claims=$2; shift 2;;
    --seconds) seconds=$2; shift 2;;
    --connections) conns=$2; shift 2;;
    --keep) keep=$2; shift 2;;
    *) echo "usage: bench/serve.sh [--people N] [--claims N] [--seconds S] [--connections C] [--keep DIR]" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null && command -v curl >/dev/null || { echo "bench/serve.sh needs wrk and curl" >&2; exit 2; }
bin=build/release/giamdinh
[ -x "$bin" ] || scripts/build release >/dev/null
dir=${keep:-$(mktemp -d /tmp/gd-serve-bench.XXXXXX)}
mkdir -p "$dir"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; [ -z "$keep" ] && rm -rf "$dir"; true; }
trap cleanup EXIT

echo "== setup: $people people, $claims claims in $dir"
"$bin" synth --out "$dir/data" --people "$people" --claims "$claims" --seed 3 >/dev/null
"$bin" import --db "$dir/store.db" "$dir/data" >/dev/null
"$bin" contrib import --db "$dir/store.db" "$dir/data" >/dev/null   # employers: eligibility checks their arrears
mkdir -p "$dir/held"
# Hold back the files of the first province (by file name) for the submission run.
first=$(ls "$dir/data/claims" | head -1 | cut -c1-2)
mv "$dir/data/claims/$first"* "$dir/held/"
"$bin" verify --db "$dir/store.db" --out "$dir/decisions.jsonl" "$dir/data/claims" >/dev/null 2>&1 || true
"$bin" user add --db "$dir/store.db" --login hospital --name H --role facility --facility "$(ls "$dir/held" | head -1 | cut -c1-5)" --password bench-password >/dev/null
"$bin" user add --db "$dir/store.db" --login manager --name M --role manager --password bench-password >/dev/null
"$bin" user add --db "$dir/store.db" --login admin --name A --role admin --password bench-password >/dev/null
hosp=$("$bin" user token --db "$dir/store.db" --login hospital)
mgr=$("$bin" user token --db "$dir/store.db" --login manager)
adm=$("$bin" user token --db "$dir/store.db" --login admin)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$dir/store.db" --port "$port" --threads 4 > "$dir/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"

# 10 000 cards of the registry, one a line, for the eligibility script.
sqlite3 "$dir/store.db" "SELECT card_no FROM cards ORDER BY random() LIMIT 10000" > "$dir/cards.txt"
cat > "$dir/elig.lua" <<EOF
local cards = {}
for line in io.lines("$dir/cards.txt") do cards[#cards + 1] = line end
math.randomseed(7)
wrk.headers["Authorization"] = "Bearer $hosp"
request = function()
  return wrk.format("GET", "/api/v1/eligibility?card=" .. cards[math.random(#cards)] .. "&date=2025-06-15")
end
EOF
resub=$(ls "$dir/data/claims" | head -1)
cat > "$dir/resubmit.lua" <<EOF
local f = io.open("$dir/data/claims/$resub", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Content-Type"] = "application/xml"
wrk.headers["Authorization"] = "Bearer $adm"
EOF

run() {   # name, extra wrk args...
  local name=$1; shift
  local out; out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency "$@")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf "%-12s %12s req/s   p50 %8s   p99 %8s   non-2xx %s\n" "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
  eval "rps_$name=$rps"
}
echo "== wrk: 2 threads, $conns connections, ${seconds} s each, server: 4 threads, loopback"
run baseline "$base/favicon.svg"
run health "$base/api/v1/health"
run eligibility -s "$dir/elig.lua" "$base"
run list -H "Authorization: Bearer $mgr" "$base/api/v1/claims?limit=20"
run resubmit -s "$dir/resubmit.lua" "$base/api/v1/claims"
awk -v b="$rps_baseline" -v e="$rps_eligibility" -v h="$rps_health" -v l="$rps_list" -v r="$rps_resubmit" 'BEGIN {
  printf "ratios to the static-file baseline: health %.2f, eligibility %.2f, list %.3f, resubmit %.4f\n", h/b, e/b, l/b, r/b
  printf "eligibility: %.0f req/s (goal >= 20000: %s)\n", e, (e >= 20000 ? "met" : "NOT met") }'

echo "== submission: $(ls "$dir/held" | wc -l) held-back files, 4 at a time"
start=$(date +%s.%N)
ls "$dir/held"/* | xargs -P4 -I{} curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
  -H "Authorization: Bearer $adm" -H "Content-Type: application/xml" --data-binary @{} "$base/api/v1/claims" \
  > "$dir/submit.times"
end=$(date +%s.%N)
decided=$(sqlite3 "$dir/store.db" "SELECT count(*) FROM claim_heads WHERE facility LIKE '$first%'")
sort -n "$dir/submit.times" | awk -v n="$(wc -l < "$dir/submit.times")" -v s="$start" -v e="$end" -v d="$decided" '
  { t[NR] = $1; if ($2 != 200) bad++ }
  END { w = e - s; printf "submitted %d files in %.2f s: %d claims decided, %.0f claims/s; per request p50 %.3f s, p99 %.3f s; non-200: %d\n",
        n, w, d, d / w, t[int(n * 0.5 + 0.5)], t[int(n * 0.99 + 0.5)], bad + 0 }'
