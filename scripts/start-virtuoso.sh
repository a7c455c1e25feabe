#!/usr/bin/env bash
# Start a throw-away Virtuoso (Debian virtuoso-opensource) on 127.0.0.1 for the
# remote-engine tests, and print the environment that points budgetgraph at it:
#
#   eval "$(scripts/start-virtuoso.sh [DIR])"     # DIR default: /tmp/budgetgraph-virtuoso
#
# Installs the package when it is missing and we are root with apt-get. The
# database lives in DIR (wiped first), both ports are free ports chosen here,
# and a user `budgetgraph` with a random password gets SPARQL_UPDATE: writes go
# through /sparql-graph-crud-auth and /sparql-auth (HTTP digest auth); the
# anonymous /sparql stays read-only. Stop it with: kill "$(cat DIR/virtuoso.pid)".
set -euo pipefail

dir=${1:-/tmp/budgetgraph-virtuoso}

if ! command -v virtuoso-t >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "start-virtuoso: installing virtuoso-opensource" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null
  else
    echo "start-virtuoso: virtuoso-t not found (apt-get install virtuoso-opensource)" >&2
    exit 1
  fi
fi
isql=$(command -v isql-vt || command -v isql)

if [ -f "$dir/virtuoso.pid" ] && kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; then
  kill "$(cat "$dir/virtuoso.pid")"
  while kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; do sleep 0.2; done
fi
rm -rf "$dir"
mkdir -p "$dir"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
sql_port=$(free_port)
http_port=$(free_port)
while [ "$http_port" = "$sql_port" ]; do http_port=$(free_port); done
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
dba_password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')

cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile    = $dir/virtuoso.db
ErrorLogFile    = $dir/virtuoso.log
LockFile        = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
Striping        = 0
TempStorage     = TempDatabase

[TempDatabase]
DatabaseFile    = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:$sql_port
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., $dir
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $dir
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DefaultGraph               =
INI

cd "$dir"
nohup virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >"$dir/stdout.log" 2>&1 &
echo $! >"$dir/virtuoso.pid"
cd - >/dev/null

deadline=$((SECONDS + 60))
until "$isql" "127.0.0.1:$sql_port" dba dba exec="status();" >/dev/null 2>&1; do
  if ! kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
    echo "start-virtuoso: did not start; see $dir/virtuoso.log" >&2
    tail -20 "$dir/virtuoso.log" >&2 || true
    exit 1
  fi
  sleep 0.3
done

"$isql" "127.0.0.1:$sql_port" dba dba >"$dir/setup.log" 2>&1 <<SQL
DB.DBA.USER_CREATE ('budgetgraph', '$password');
GRANT SPARQL_UPDATE TO "budgetgraph";
GRANT SPARQL_SELECT TO "budgetgraph";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('budgetgraph', 3);
USER_SET_PASSWORD ('dba', '$dba_password');
checkpoint;
SQL
if grep -q "Error" "$dir/setup.log"; then
  echo "start-virtuoso: setup failed:" >&2
  cat "$dir/setup.log" >&2
  exit 1
fi
chmod 600 "$dir/virtuoso.ini" "$dir/setup.log"
printf '%s\n' "dba:$dba_password" >"$dir/dba-password" && chmod 600 "$dir/dba-password"

cat <<ENV
export BUDGETGRAPH_VIRTUOSO_URL=http://127.0.0.1:$http_port/sparql
export BUDGETGRAPH_VIRTUOSO_USER=budgetgraph
export BUDGETGRAPH_VIRTUOSO_PASSWORD=$password
ENV
echo "start-virtuoso: Virtuoso on http://127.0.0.1:$http_port/sparql (pid $(cat "$dir/virtuoso.pid"), data in $dir)" >&2
