#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, starts a throw-away PostgreSQL
# server on 127.0.0.1, then runs the linter and the whole test suite (SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT="${PARVIS_PG_PORT:-54329}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- system packages -------------------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installation des paquets Debian : ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# --- Python environment ----------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  echo "== création de l'environnement Python .venv"
  python3 -m venv .venv
fi
echo "== installation des dépendances de test"
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

# --- PostgreSQL on loopback only ---------------------------------------------------------------
PG_DIR="$(mktemp -d /tmp/parvis-pg.XXXXXX)"
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
stop_pg() {
  run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
echo "== démarrage de PostgreSQL sur 127.0.0.1:$PG_PORT"
run_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off" start >/dev/null
export PARVIS_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"

# --- checks ----------------------------------------------------------------------------------
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
