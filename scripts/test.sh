#!/usr/bin/env bash
# Runs the whole test suite (unit, e-mail, browser). DATABASE_URL selects the database:
# SQLite by default, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/jhl_portal for PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
