# certfleet serve on 127.0.0.1 with real clients: curl (--cacert, --cert/--key), openssl s_client and
# openssl crl on the served CRL, python3-prometheus-client's parser on /metrics; bad input (malformed
# HTTP, oversized body, unknown route, old agent), a stalled client, a silent connection, 1,000
# connections opened and dropped, and revoked or expired client certificates refused on every route.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
py=/usr/bin/python3
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Serve Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null

port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="https://127.0.0.1:$port"
cat > server.yaml <<YAML
listen: 127.0.0.1:$port
passphrase_file: $PWD/pw
limits: {max_body_bytes: 65536, read_timeout: 2s, handshake_timeout: 2s, idle_timeout: 30s}
YAML
server_pid=""
start_server() {
  $cf serve --config server.yaml 2>>server.log &
  server_pid=$!
  for _ in $(seq 1 200); do   # bounded wait for the state "answers /healthz"
    curl -sf --cacert root.pem "$url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited"; cat server.log; exit 1; }
    sleep 0.05
  done
  echo "server did not come up"; exit 1
}
stop_server() {
  kill -TERM "$server_pid"; local rc=0; wait "$server_pid" || rc=$?; server_pid=""; echo "server stopped: exit $rc"
}
trap '[[ -n $server_pid ]] && kill $server_pid 2>/dev/null; wait 2>/dev/null' EXIT
start_server

# health and the server's own certificate, issued by the CA at start
curl -sS --cacert root.pem "$url/healthz" | $py -c 'import json,sys; print("healthz:", json.load(sys.stdin)["status"])'
curl -sS --cacert root.pem "$url/readyz" | $py -c 'import json,sys; print("readyz:", json.load(sys.stdin)["status"])'
openssl s_client -connect "127.0.0.1:$port" -CAfile root.pem -verify_return_error -verify_hostname localhost \
  </dev/null 2>/dev/null | grep -o "Verify return code: 0 (ok)" | head -1
[[ $(stat -c %a state/server-tls/server.key) == 600 ]] || { echo "server.key is not 0600"; exit 1; }
server_serial=$(openssl x509 -in state/server-tls/server.crt -noout -serial | cut -d= -f2 | tr A-F a-f)
$cf cert list --json | $py -c 'import json,sys; print("server certificate in the store:", [c["requester"] for c in json.load(sys.stdin) if c["serial"] == sys.argv[1]])' "$server_serial"
openssl s_client -connect "127.0.0.1:$port" -tls1_1 </dev/null >/dev/null 2>&1 && { echo "TLS 1.1 accepted"; exit 1; }
echo "TLS 1.1: refused"

# GET /v1/ca: the root pinned by its SHA-256
curl -sS --cacert root.pem "$url/v1/ca" > ca.json
want=$(openssl x509 -in root.pem -outform DER | sha256sum | cut -d' ' -f1)
$py - "$want" <<'PY'
import json, sys
ca = json.load(open("ca.json"))
assert ca["root_sha256"] == sys.argv[1], "root_sha256 differs from openssl's"
assert ca["root_pem"] == open("root.pem").read(), "root_pem differs from ca export"
print("ca:", ca["authority"], len(ca["chain_pem"]), "certificates, root_sha256 matches openssl")
PY
curl -sS --cacert root.pem "$url/v1/ca?format=pem" -o chain.pem
openssl verify -CAfile root.pem -untrusted chain.pem state/server-tls/server.crt | sed 's/.*: /server certificate: /'

# GET /v1/crl (DER) checked by openssl crl; a revocation shows once a new CRL is signed
curl -sS --cacert root.pem "$url/v1/crl" -o crl.der
openssl crl -inform DER -in crl.der -CAfile chain.pem -noout 2>&1 | sed 's/^/crl: /'
$cf cert issue --subject CN=node2.example.com --out-dir node2 --passphrase-file pw 2>/dev/null
serial=$(openssl x509 -in node2/cert.pem -noout -serial | cut -d= -f2)
$cf cert revoke "$(tr A-F a-f <<<"$serial")" --reason keyCompromise >/dev/null
$cf crl generate --passphrase-file pw --out crl.pem 2>/dev/null
curl -sS --cacert root.pem "$url/v1/crl?format=pem" -o crl.pem
openssl crl -in crl.pem -noout -text | grep -q "Serial Number: $serial" && echo "crl: lists the revoked serial"

# client certificates: accepted while valid; revoked, expired or from another CA refused everywhere
$cf cert issue --subject CN=alice --profile client --out-dir alice --passphrase-file pw 2>/dev/null
$cf cert issue --subject CN=bob --profile client --validity 3s --out-dir bob --passphrase-file pw 2>/dev/null
mtls() { curl -s -o body.json -w '%{http_code}' --cacert root.pem --cert "$1/cert.pem" --key "$1/key.pem" "$url$2"; }
echo "alice /healthz: $(mtls alice /healthz)"
alice=$(openssl x509 -in alice/cert.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
$cf cert revoke "$alice" >/dev/null
for route in /healthz /v1/ca /v1/crl /metrics; do
  echo "revoked alice $route: $(mtls alice $route) $($py -c 'import json; b=json.load(open("body.json")); print(b["error"], b["message"].split(": ")[-1])')"
done
bob_end=$(date -d "$(openssl x509 -in bob/cert.pem -noout -enddate | cut -d= -f2)" +%s)
for _ in $(seq 1 100); do (( $(date +%s) > bob_end )) && break; sleep 0.1; done
echo "expired bob /v1/ca: $(mtls bob /v1/ca) $($py -c 'import json; print(json.load(open("body.json"))["message"].split(": ")[1][:10])')"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -subj /CN=alice \
  -days 1 -out other.pem 2>/dev/null
set +e
curl -s -o /dev/null --cacert root.pem --cert other.pem --key other.key "$url/healthz"; rc=$?
set -e
[[ $rc -ne 0 ]] && echo "certificate from another CA: TLS refused"

# bad input: each answered with the JSON error body and the server keeps serving
code() { curl -s -o body.json -w '%{http_code}' --cacert root.pem "$@"; }
rid() { $py -c 'import json; b=json.load(open("body.json")); print(b["error"], "request_id" if b["request_id"] else "no id")'; }
echo "unknown route: $(code "$url/v1/nothing") $(rid)"
echo "wrong method: $(code -X POST "$url/healthz") $(rid)"
head -c 100000 /dev/zero | tr '\0' x > big.json
# With Expect: 100-continue the server refuses on the Content-Length before the body is sent; without it
# the client is still sending when the 413 comes, and the server reads and discards the rest (bounded)
# before closing, so that the answer is not lost to a reset. Five times, to catch the race.
echo "oversized body: $(code -X POST -H 'Content-Type: application/json' -H 'Expect: 100-continue' \
  --expect100-timeout 30 --data-binary @big.json "$url/v1/ca") $(rid)"
head -c 3000000 /dev/zero | tr '\0' x > huge.json  # beyond the socket buffers: a reset would lose the 413
for _ in 1 2 3 4 5; do
  code -X POST -H 'Content-Type: application/json' -H 'Expect:' --data-binary @huge.json "$url/v1/ca" >> big.codes
  echo >> big.codes
done
echo "oversized body sent whole: $(sort -u big.codes | tr '\n' ' ')"
echo "old agent: $(code -H 'Certfleet-Version: 0.0.9' "$url/v1/ca") $($py -c 'import json; print(json.load(open("body.json"))["message"])')"
printf 'GARBAGE / HTTP/9\r\n\r\n' | openssl s_client -connect "127.0.0.1:$port" -quiet -CAfile root.pem 2>/dev/null | head -1 | tr -d '\r'
echo "still serving: $(code "$url/healthz")"
curl -sS -D headers.txt -o /dev/null --cacert root.pem -H 'X-Request-Id: trace-42' "$url/healthz"
grep -i '^x-request-id: trace-42' headers.txt >/dev/null && echo "request id: echoed"
grep -i '^certfleet-version: ' headers.txt >/dev/null && grep -i '^certfleet-min-agent-version: 0.1.0' headers.txt >/dev/null \
  && echo "version headers: present"

# timeouts free stalled connections; 1,000 connections opened and dropped leave the server serving
$py "$SCENARIO/clients.py" slow_request "$port" root.pem 8
$py "$SCENARIO/clients.py" silent_connection "$port" 8
$py "$SCENARIO/clients.py" open_and_drop "$port" root.pem 1000
echo "after 1,000 drops: $(code "$url/healthz")"
for _ in $(seq 1 100); do   # dropped connections are reaped (bounded wait on the gauge)
  curl -sS --cacert root.pem "$url/metrics" > metrics.txt
  open=$(awk '/^certfleet_open_connections /{print $2}' metrics.txt)
  [[ ${open%.*} -le 2 ]] && break
  sleep 0.1
done
echo "open connections back to ${open%.*}"
$py "$SCENARIO/clients.py" parse_metrics metrics.txt

# the log has request ids and never the passphrase or a key
grep -q 'request_id=trace-42 ' server.log && echo "log: request ids"
grep -q 'e2e passphrase' server.log && { echo "passphrase in the log"; exit 1; }
grep -q 'PRIVATE KEY' server.log && { echo "key in the log"; exit 1; }
echo "log: no passphrase, no key"

# a restart keeps the server certificate; SIGTERM stops cleanly
stop_server
start_server
[[ $(openssl x509 -in state/server-tls/server.crt -noout -serial | cut -d= -f2 | tr A-F a-f) == "$server_serial" ]] \
  && echo "restart: same server certificate"
stop_server
