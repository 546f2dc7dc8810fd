#!/usr/bin/env bash
# Runs the test suite against PostgreSQL: starts a throwaway cluster (initdb into a temp
# folder, loopback only, as a non-root user), points TEST_DATABASE_URL at a fresh database
# in it, runs vitest (extra arguments go to vitest), and stops the cluster however the run ends.
# Needs the PostgreSQL server binaries (Debian: apt-get install postgresql).
# With TEST_DATABASE_URL already set, uses that server instead (it must be a scratch database).
# `--run COMMAND ARGS…` runs that command instead of vitest (npm run bench:pg).
set -euo pipefail
cd "$(dirname "$0")/.."

command=(npx vitest run)
tests=1
if [[ "${1:-}" == "--run" ]]; then
  shift
  command=(npx)
  tests=0
fi

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  exec "${command[@]}" "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bindir" ]]; then
  bindir=$(dirname "$(command -v initdb 2>/dev/null || command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")
fi
if [[ ! -x "$bindir/initdb" ]]; then
  echo "PostgreSQL server binaries not found (initdb). On Debian/Ubuntu: sudo apt-get install postgresql" >&2
  exit 2
fi

# initdb refuses to run as root: use the postgres account the Debian package creates.
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dir=$(mktemp -d /tmp/civicdesk-pg.XXXXXX)
chmod 755 "$dir"
[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

stop() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT INT TERM

as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# A throwaway cluster: durability off (fsync) for speed; enough connections for two test workers.
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres civicdesk_test

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/civicdesk_test"
# For the tests, migrations run once, into a template schema that every test schema starts as a copy of (saves the
# ~230 statements each test database's migrations take; tests/helpers/postgres-template.ts says how, and which tests opt out).
if [[ $tests -eq 1 ]]; then npx tsx tests/helpers/postgres-template.ts "$bindir/pg_dump"; fi
echo "PostgreSQL test cluster on 127.0.0.1:$port ($dir)"
"${command[@]}" "$@"
