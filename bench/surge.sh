#!/usr/bin/env bash
# bench/surge.sh — the end-of-month surge on the review service (`giamdinh serve`), on loopback.
#
#   bench/surge.sh [--short] [--seconds S] [--rss-at S] [--people N] [--claims N] [--held K]
#                  [--threads T] [--build DIR] [--keep DIR] [-- SURGE_OPTIONS...]
#
# Makes a synthetic country (default 100 k people, 300 k claims), imports it, holds back the
# claim files of the K largest facilities (default 180 of ~200) and verifies the rest into the store
# (the history the cross-claim rules and the review queue read), adds a facility user with
# an API token for each held-back facility and a reviewer, starts `giamdinh serve` (T
# threads, default 4) on a free loopback port, and runs bench/surge.c (build DIR/surge) for S seconds
# (default 300; --short: 20 s, the first RSS sample at 10 s instead of 60 s, 20 k people,
# 30 k claims, 20 facilities held back; options after --short override):
#   submissions   the held-back national XML envelopes, each POSTed by its facility's token,
#                 4 uploads at a time, back to back (new claims; round after round if they run out)
#   eligibility   GET /eligibility of random registry cards at 200/s on 8 connections (a hospital's token)
#   reviewer      GET /queue then GET /claims/{f}/{k} of one of its claims, 20 reads/s, 4 sessions
# after a 10-s baseline of the eligibility checks and reviewer reads alone, and prints per kind
# requests/s, p50/p99/max, errors (must be 0), claims decided per second, and the server's VmRSS;
# the criterion: end RSS within 10 % of the RSS at 60 s (medians of 21 one-second samples).
# SURGE_OPTIONS after `--` go to surge (e.g. -- --elig-rate 1000 --submitters 8).
# Exit status: surge's (0: no error and RSS within 10 %).  Needs curl and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
people=100000 claims=300000 held=180 seconds=300 rss_at=60 threads=4 build=build/release keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=20 rss_at=10 people=20000 claims=30000 held=20; shift;;
    --seconds) seconds=$2; shift 2;;
    --rss-at) rss_at=$2; shift 2;;
    --people) people=$2; shift 2;;
    --claims) claims=$2; shift 2;;
    --held) held=$2; shift 2;;
    --threads) threads=$2; shift 2;;
    --build) build=$2; shift 2;;
    --keep) keep=$2; shift 2;;
    --) shift; break;;
    *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2;;
  esac
done
command -v curl >/dev/null && command -v sqlite3 >/dev/null || { echo "bench/surge.sh needs curl and sqlite3" >&2; exit 2; }
bin=$build/giamdinh surge=$build/surge
[ -x "$bin" ] && [ -x "$surge" ] || { echo "build $bin and $surge first (cmake --build $build)" >&2; exit 2; }
dir=${keep:-$(mktemp -d /tmp/gd-surge.XXXXXX)}
mkdir -p "$dir"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; [ -z "$keep" ] && rm -rf "$dir"; true; }
trap cleanup EXIT

echo "== setup: $people people, $claims claims, the $held largest facilities held back, in $dir"
t0=$(date +%s)
"$bin" synth --out "$dir/data" --people "$people" --claims "$claims" --seed 5 >/dev/null
"$bin" import --db "$dir/store.db" "$dir/data" >/dev/null
mkdir -p "$dir/held"
# The facilities with the most claim bytes; their files wait for the API.
facilities=$(cd "$dir/data/claims" && ls -l | awk 'NR > 1 { b[substr($9, 1, 5)] += $5 } END { for (f in b) print b[f], f }' |
             sort -rn | head -n "$held" | awk '{ print $2 }')
for f in $facilities; do mv "$dir/data/claims/$f"-*.xml "$dir/held/"; done
"$bin" verify --db "$dir/store.db" --out /dev/null "$dir/data/claims" >/dev/null 2>&1 || true
"$bin" user add --db "$dir/store.db" --login reviewer --name R --role reviewer --password bench-password >/dev/null
: > "$dir/submit.list"
mkdir -p "$dir/tokens"
# One facility user and API token per held-back facility, two at a time (argon2 costs ~0.2 s a user).
printf '%s\n' $facilities | xargs -P2 -I{} sh -c '"$1" user add --db "$2" --login f{} --name {} --role facility \
  --facility {} --password bench-password >/dev/null && "$1" user token --db "$2" --login f{} > "$3/{}"' \
  sh "$bin" "$dir/store.db" "$dir/tokens"
for f in $facilities; do
  token=$(cat "$dir/tokens/$f")
  for x in "$dir/held/$f"-*.xml; do echo "$token $x"; done >> "$dir/submit.list"
  last_token=$token
done
shuf --random-source=<(yes) "$dir/submit.list" > "$dir/submit.order"   # the facilities' files interleaved
sqlite3 "$dir/store.db" "SELECT card_no FROM cards ORDER BY random() LIMIT 10000" > "$dir/cards.txt"
stored=$(sqlite3 "$dir/store.db" "SELECT count(*) FROM claim_heads")
held_claims=$(for x in "$dir/held"/*.xml; do head -c 1000 "$x" | grep -o '<SOLUONGHOSO>[0-9]*' | cut -d'>' -f2; done | paste -sd+ | bc)
echo "   $stored claims in the store, $held_claims in $(wc -l < "$dir/submit.order") held-back files ($(du -sh "$dir/held" | cut -f1)); setup $(( $(date +%s) - t0 )) s"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$dir/store.db" --port "$port" --threads "$threads" > "$dir/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
echo "== surge: $seconds s on http://127.0.0.1:$port/ (server pid $server_pid, $threads threads)"
rc=0
"$surge" --port "$port" --pid "$server_pid" --seconds "$seconds" --rss-at "$rss_at" \
  --submit-list "$dir/submit.order" --elig-token "$last_token" --cards "$dir/cards.txt" \
  --reviewer reviewer:bench-password --elig-rate 200 --review-rate 20 "$@" || rc=$?
echo "== server log: $(grep -c . "$dir/serve.log" || true) lines (the listening line expected)"
grep -v 'listening on' "$dir/serve.log" | head -5 || true
echo "   claims in the store now: $(sqlite3 "$dir/store.db" "SELECT count(*) FROM claim_heads")"
exit "$rc"
