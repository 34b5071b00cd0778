# Start/stop a throw-away PostgreSQL cluster for tests (sourced). Exports SMARTDESK_TEST_PG_URL.
PG_TMP=""
pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  return 1
}
start_test_postgres() {
  [ -n "${SMARTDESK_TEST_PG_URL:-}" ] && return 0
  local bin; bin="$(pg_bin)" || return 1
  PG_TMP="$(mktemp -d /tmp/smartdesk-pg.XXXXXX)"
  local port=$(( 20000 + RANDOM % 20000 ))
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_TMP" 2>/dev/null || return 1
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -U smartdesk -A trust -E UTF8 >/dev/null || return 1
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
     -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c max_connections=200" start >/dev/null || return 1
  export SMARTDESK_TEST_PG_URL="postgresql+psycopg://smartdesk@127.0.0.1:$port/postgres"
  export SMARTDESK_TEST_PG_BIN="$bin"
  echo "PostgreSQL for tests on 127.0.0.1:$port"
}
stop_test_postgres() {
  [ -n "$PG_TMP" ] || return 0
  local bin; bin="$(pg_bin)" || return 0
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$PG_TMP/data" -m fast stop >/dev/null 2>&1 || true
  else "$bin/pg_ctl" -D "$PG_TMP/data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$PG_TMP"
}
