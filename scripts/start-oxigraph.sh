#!/usr/bin/env bash
# Start a throw-away Oxigraph server on 127.0.0.1 for the remote-engine tests,
# and print the environment that points budgetgraph at it:
#
#   eval "$(scripts/start-oxigraph.sh [DIR])"     # DIR default: /tmp/budgetgraph-oxigraph
#
# The server is the PyPI package `oxigraph` (the Rust server's binary), installed
# into its own venv DIR/venv on first use: it is not `pyoxigraph`, the library
# the project imports, and the two must not share an environment. Set OXIGRAPH
# to an existing binary to skip the install. The store lives in DIR/store
# (wiped first); queries see the union of the named graphs
# (--union-default-graph), as budgetgraph's own endpoint does. The server has no
# authentication: it only ever listens on 127.0.0.1.
# Stop it with: kill "$(cat DIR/oxigraph.pid)".
set -euo pipefail

dir=${1:-/tmp/budgetgraph-oxigraph}
version=${OXIGRAPH_VERSION:-0.5.13}

if [ -f "$dir/oxigraph.pid" ] && kill -0 "$(cat "$dir/oxigraph.pid")" 2>/dev/null; then
  kill "$(cat "$dir/oxigraph.pid")"
  while kill -0 "$(cat "$dir/oxigraph.pid")" 2>/dev/null; do sleep 0.2; done
fi
rm -rf "$dir/store" "$dir/oxigraph.pid"
mkdir -p "$dir"

binary=${OXIGRAPH:-$dir/venv/bin/oxigraph}
if [ ! -x "$binary" ]; then
  echo "start-oxigraph: installing oxigraph==$version into $dir/venv" >&2
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet "oxigraph==$version"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nohup "$binary" serve --location "$dir/store" --bind "127.0.0.1:$port" --union-default-graph \
  >"$dir/server.log" 2>&1 &
echo $! >"$dir/oxigraph.pid"

deadline=$((SECONDS + 30))
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/query?query=ASK%7B%7D', timeout=1)" 2>/dev/null; do
  if ! kill -0 "$(cat "$dir/oxigraph.pid")" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
    echo "start-oxigraph: did not start:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

echo "export BUDGETGRAPH_OXIGRAPH_URL=http://127.0.0.1:$port/query"
echo "start-oxigraph: Oxigraph $("$binary" --version | cut -d' ' -f2) on http://127.0.0.1:$port (pid $(cat "$dir/oxigraph.pid"), data in $dir)" >&2
