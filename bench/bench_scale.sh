#!/usr/bin/env bash
# bench/bench_scale.sh — the national-scale benchmark of the PostgreSQL backend
# (docs/scaling.md): a synthetic period (giamdinh synth), imported into a
# throwaway PostgreSQL server (scripts/pgtest), its claims queued and verified
# by `giamdinh worker` with 1 and then 2 concurrent workers (decisions and
# queue emptied in between).  Prints import time, claims/s per run, the
# scaling factor, and the database size per claim (decisions + heads).
#
#   bench/bench_scale.sh [--people N] [--claims N] [--build DIR] [--keep DIR] [--batch N] [--shards N]
#
# Defaults are small (200k people, 100k claims: a few minutes); the issue's
# national shape scaled to one machine is --people 10M --claims 5M.
set -euo pipefail
cd "$(dirname "$0")/.."
people=200000 claims=100000 build=build/release keep="" batch=2000 shards=256
while [ $# -gt 0 ]; do
  case "$1" in
    --people) people=$2; shift 2 ;;
    --claims) claims=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    *) echo "usage: bench/bench_scale.sh [--people N] [--claims N] [--build DIR] [--keep DIR] [--batch N] [--shards N]" >&2
       exit 2 ;;
  esac
done
bin=$PWD/$build/giamdinh
[ -x "$bin" ] || { echo "bench_scale: no $bin (scripts/build release)" >&2; exit 2; }
dir=${keep:-$(mktemp -d /tmp/gd-scale.XXXXXX)}
mkdir -p "$dir"
[ -n "$keep" ] || trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

if [ ! -f "$dir/data/manifest.json" ]; then
  t=$(now)
  "$bin" synth --out "$dir/data" --people "$people" --claims "$claims" --threads 2 --seed 1 >"$dir/synth.log" 2>&1
  echo "synth: $(tail -1 "$dir/synth.log" | sed 's/^synth: //') ($(since "$t") s)"
fi

# The measured part, run with GD_TEST_PG_URL naming the throwaway server.
cat >"$dir/phase.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
bin=$1 dir=$2 batch=$3 shards=$4
url=$GD_TEST_PG_URL
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
q() { psql "$url" -Atqc "$1"; }
t=$(now)
"$bin" import --db "$url" "$dir/data" >"$dir/import.log" 2>&1
echo "import: $(tail -1 "$dir/import.log") (wall $(since "$t") s)"
for workers in 1 2; do
  q "TRUNCATE decisions, claim_heads, claim_queue, queue_shards" >/dev/null 2>&1 || true
  t=$(now)
  "$bin" worker --db "$url" --enqueue --shards "$shards" "$dir/data/claims" 2>"$dir/enqueue.log"
  enq=$(since "$t")
  n=$(q "SELECT count(*) FROM claim_queue")
  t=$(now)
  pids=()
  for w in $(seq "$workers"); do
    "$bin" worker --db "$url" --batch "$batch" --decided-at 2025-12-31T00:00:00+07:00 --quiet &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  secs=$(since "$t")
  left=$(q "SELECT count(*) FROM claim_queue")
  decided=$(q "SELECT count(*) FROM decisions")
  rate=$(echo "$n / $secs" | bc)
  echo "workers=$workers: queued $n claims in $enq s; verified in $secs s: $rate claims/s ($decided decisions, $left left)"
  echo "$workers $rate" >>"$dir/rates"
done
q "VACUUM ANALYZE" >/dev/null 2>&1 || true
dec=$(q "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'decisions'")
heads=$(q "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'claim_heads'")
rec=$(q "SELECT coalesce(avg(length(record)), 0)::bigint FROM decisions")
n=$(q "SELECT count(*) FROM decisions")
reg=$(q "SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relname IN ('persons','cards')")
db=$(q "SELECT pg_database_size(current_database())")
echo "size: decisions $dec B + heads $heads B for $n claims: $(( (dec + heads) / n )) B/claim (record text $rec B);"
echo "      persons+cards $reg B; whole database $db B"
EOF
chmod +x "$dir/phase.sh"
rm -f "$dir/rates"
scripts/pgtest "$dir/phase.sh" "$bin" "$dir" "$batch" "$shards"
r1=$(awk '$1 == 1 {print $2}' "$dir/rates") r2=$(awk '$1 == 2 {print $2}' "$dir/rates")
echo "scaling: 2 workers / 1 worker = $(echo "scale=2; $r2 / $r1" | bc) (machine: $(nproc) cores, shared with the server)"
