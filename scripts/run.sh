#!/usr/bin/env bash
# One command for a fresh clone: install, migrate, load demo data, then serve the portal
# on http://127.0.0.1:8000 with a mail worker beside it (SQLite unless DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
py=.venv/bin/python
$py manage.py migrate --no-input
$py manage.py createcachetable
$py manage.py seed_demo
$py manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true

# The worker sends the e-mail queued by the web server (see README, "E-mail").
$py manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$py manage.py runserver "${PORT:-127.0.0.1:8000}"
