#!/usr/bin/env bash
# CPU per engine message, before and after alternating in the same minutes (a busy machine distorts wall time, and
# CPU less when both builds see the same load):
#   bash bench/engine-alternate.sh ROUNDS BEFORE_TREE AFTER_TREE [node flags…]
# Each tree needs bench/out/engine-child.mjs (bundled as `npm run bench -- engine` does). The start script's malloc
# environment is set; pass the V8 flags to compare (e.g. --optimize-for-size).
set -euo pipefail
rounds=$1 before=$2 after=$3
shift 3
for _ in $(seq 1 "$rounds"); do
  for tree in "$before" "$after"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    result=$(cd "$tree" && MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 node "$@" bench/out/engine-child.mjs --json | tail -1)
    echo "$(date -u +%H:%M:%S) load $load $tree µs CPU a message: $(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.map((x) => x.cpuMicrosPerMessage).join(" / "), "· msg/s", r.map((x) => x.messagesPerSecond).join(" / "))' "$result")"
  done
done
