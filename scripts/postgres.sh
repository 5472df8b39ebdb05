#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL server for the store tests, and create
# the test role and database. Idempotent: safe to run when the server is already up.
# Prints the URL the tests use (also the default of COALITION_TEST_POSTGRES).
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^${version} main"; then
    pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true

for _ in $(seq 1 30); do
    if su postgres -c "pg_isready -q -h 127.0.0.1"; then break; fi
    sleep 1
done

su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='coalition'\"" | grep -q 1 \
    || su postgres -c "psql -q -c \"CREATE ROLE coalition LOGIN PASSWORD 'coalition'\""
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='coalition_test'\"" | grep -q 1 \
    || su postgres -c "psql -q -c \"CREATE DATABASE coalition_test OWNER coalition\""

echo "postgresql+psycopg://coalition:coalition@127.0.0.1:5432/coalition_test"
