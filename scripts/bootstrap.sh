#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the project's dependencies.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again (fast when done).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -rV); do
      candidate="$(pyenv root)/versions/$version/bin/python"
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  if ! python_bin="$(find_python)"; then
    echo "ERROR: this project needs Python 3.12 or newer (3.13 recommended), and none was found." >&2
    echo "Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package), or set PYTHON=/path/to/python3.13." >&2
    exit 1
  fi
  echo "Creating .venv with $python_bin ($("$python_bin" --version))"
  rm -rf .venv
  "$python_bin" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last install.
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
  .venv/bin/python -m pip install --quiet --group dev
  rm -f .venv/.installed-*
  touch "$stamp"
fi
