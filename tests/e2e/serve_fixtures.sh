# Shared by the server scenarios (091-103): sourced by their run.sh, which define fail().
# start_serve URL: runs `certfleet serve --config server.yaml` (standard error to server.log), stops it at
# exit, and waits (bounded: 10 s) for the state "URL/healthz answers"; fails if the server exits first.
start_serve() {
  $CERTFLEET serve --config server.yaml 2>>server.log &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  for _ in $(seq 1 200); do
    curl -sf --cacert root.pem "$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat server.log >&2; fail "server exited"; }
    sleep 0.05
  done
  fail "the server did not answer $1/healthz"
}
