#!/usr/bin/env bash
# Installs Parvis, creates and migrates the embedded SQLite database under data/, loads the demo
# commune on first start (through the real importers), then opens the dashboard on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python cli.py demo --if-empty
exec .venv/bin/python -m streamlit run dashboard.py \
  --server.address 127.0.0.1 --server.port "${PARVIS_PORT:-8501}" "$@"
