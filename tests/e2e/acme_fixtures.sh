# Shared by the ACME scenarios (100-101): sourced by their run.sh, which run in a fresh directory.
# Makes the authority "main" (policy: *.acme.test only) and serves it with the acme: settings given to
# start_acme_server; sets $url, $acme (the ACME base URL) and $server_pid, and stops the server at exit.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
cf=$CERTFLEET
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

printf 'e2e passphrase\n' > pw
printf 'allowed_domains: ["*.acme.test"]\nallow_wildcards: false\n' > policy.yaml
$cf ca init --name main --subject "CN=ACME Root,O=certfleet" --intermediate --policy policy.yaml \
  --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null

# start_acme_server [ACME_YAML_LINES]: serves on a free port; waits (bounded) until /healthz answers.
start_acme_server() {
  local port; port=$(free_port)
  url="https://127.0.0.1:$port"
  acme="$url/acme/main"
  {
    printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD"
    printf 'tls: {names: ["DNS:ca.acme.test", "IP:127.0.0.1"]}   # the policy allows *.acme.test only\n'
    [[ -n ${1:-} ]] && printf 'acme:\n%s\n' "$1"
  } > server.yaml
  $cf serve --config server.yaml 2>>server.log &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  for _ in $(seq 1 200); do
    curl -sf --cacert root.pem "$url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat server.log >&2; fail "server exited"; }
    sleep 0.05
  done
  fail "the server did not answer /healthz"
}

stop_acme_server() {
  grep -q 'PRIVATE KEY' server.log && fail "key in the log"
  local rc=0
  kill -TERM "$server_pid"; wait "$server_pid" || rc=$?; echo "server stopped: exit $rc"
}
