# Shared by the server scenarios (091-107): sourced by their run.sh, which define fail().
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

# serve_ca SUBJECT [SERVER_YAML]: the usual start of a server scenario. A CA named "main" (root SUBJECT and
# an intermediate, passphrase in ./pw) in ./certfleet.db ($CERTFLEET_STORE), its root in ./root.pem, and
# its server on a free port of 127.0.0.1: server.yaml has listen and passphrase_file, then SERVER_YAML
# (more top-level YAML lines, each ending in a newline). Sets port and url (https://127.0.0.1:PORT).
serve_ca() {
  export OPENSSL_CONF=/dev/null
  export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
  printf 'e2e passphrase\n' > pw
  $CERTFLEET ca init --name main --subject "$1" --intermediate --passphrase-file pw >/dev/null
  $CERTFLEET ca export --root-only --out root.pem 2>/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  url="https://127.0.0.1:$port"
  printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n%s' "$port" "$PWD" "${2:-}" > server.yaml
  start_serve "$url"
}
