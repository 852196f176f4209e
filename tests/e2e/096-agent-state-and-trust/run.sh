# The agent's persisted state and a CA change (issue 15, seed 003), with real binaries on 127.0.0.1: the
# node agent (certfleet-agent, no CA code) enrolls by token; `agent status --json` shows it monitoring
# with the fields openssl reads from the deployed file. The CA is regenerated (a new store) behind a new
# server on the same port: the agent refuses it (needs_operator, the new root's SHA-256, exit 1) and
# touches no file; `agent trust` with the wrong fingerprint is denied (3) and writes nothing; with the
# right one and a new token the next pass enrolls again, and status shows the new issuer. A state left
# by a pass interrupted mid-deployment resumes from needs_key.
source "$SCENARIO/../deploy_fixtures.sh"
export OPENSSL_CONF=/dev/null
cf=$CERTFLEET
node_agent=$(dirname "$cf")/certfleet-agent
py=/usr/bin/python3
printf 'e2e passphrase\n' > pw
port=$(free_port)
url="https://127.0.0.1:$port"
server_pid=
trap 'if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi; wait 2>/dev/null || true' EXIT

# start_ca DIR SUBJECT: a new CA (its own store, DIR/certfleet.db) and its server on $port.
start_ca() {
  mkdir -p "$1"
  export CERTFLEET_STORE="sqlite://$PWD/$1/certfleet.db"
  $cf ca init --name main --subject "$2" --intermediate --passphrase-file pw >/dev/null
  $cf ca export --root-only --out "$1/root.pem" 2>/dev/null
  printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD" > "$1/server.yaml"
  $cf serve --config "$1/server.yaml" 2>>"$1/server.log" &
  server_pid=$!
  for _ in $(seq 1 200); do  # bounded wait for the state "answers /healthz"
    curl -sf --cacert "$1/root.pem" "$url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$1/server.log" >&2; fail "server exited"; }
    sleep 0.05
  done
  fail "server on $port did not answer"
}
stop_ca() {
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=
}
sha256_of() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2; }
status_field() {  # status_field FILE FIELD: a field of the first certificate of `agent status --json`
  $py -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]
v=d
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"
}

start_ca old "CN=Fleet Root A,O=certfleet"
$cf token create --name node1.example.com --san IP:127.0.0.1 > node.token 2>/dev/null
mkdir trust node1 out
cp old/root.pem trust/root.pem
printf 'certificate: {cert: node1/cert.pem, chain: node1/chain.pem, key: node1/key.pem}\ntargets: [{format: pem, path: out}]\n' > node1.yaml
cat > agent.yaml <<YAML
server: $url
ca_file: trust/root.pem
state_dir: agent-state
bootstrap: {token_file: node.token}
certificates:
  - {name: node1, deploy: node1.yaml, subject: CN=node1.example.com, sans: ["DNS:node1.example.com", "IP:127.0.0.1"]}
YAML

$node_agent --config agent.yaml --once > pass1.txt || { cat pass1.txt; fail "first enrollment"; }
sed -E 's/serial [0-9a-f]+, deployed \([^)]*\); next renewal .*/serial S, deployed (ID); next renewal DATE/' pass1.txt
echo "state file: $(stat -c '%a' agent-state/agent/node1.json) $(status_field <(echo "[$(cat agent-state/agent/node1.json)]") state)"

# agent status agrees with openssl about the deployed file.
rc=0; $node_agent status --config agent.yaml --json > status1.json || rc=$?
echo "agent status: exit $rc, state $(status_field status1.json state), healthy $(status_field status1.json healthy)"
cert=node1/cert.pem
[[ $(status_field status1.json subject) == "$(openssl x509 -in $cert -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" ]] ||
  fail "subject: $(status_field status1.json subject)"
[[ $(status_field status1.json issuer) == "$(openssl x509 -in $cert -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')" ]] ||
  fail "issuer: $(status_field status1.json issuer)"
[[ $(status_field status1.json sha1_fingerprint) == "$(openssl x509 -in $cert -noout -fingerprint -sha1 | cut -d= -f2)" ]] ||
  fail "sha1_fingerprint"
[[ $(date -d "$(status_field status1.json activated)" +%s) == "$(date -d "$(openssl x509 -in $cert -noout -startdate | cut -d= -f2)" +%s)" ]] ||
  fail "activated"
[[ $(date -d "$(status_field status1.json expires)" +%s) == "$(date -d "$(openssl x509 -in $cert -noout -enddate | cut -d= -f2)" +%s)" ]] ||
  fail "expires"
openssl x509 -in $cert -noout -text > cert.txt
grep -q "Public-Key: ($(status_field status1.json key_bits) bit)" cert.txt || fail "key_bits"
grep -q "Signature Algorithm: $(status_field status1.json signature_algorithm)" cert.txt || fail "signature_algorithm"
[[ $(status_field status1.json serial | tr a-f A-F | sed 's/^0*//') == "$(openssl x509 -in $cert -noout -serial | cut -d= -f2 | sed 's/^0*//')" ]] ||
  fail "serial"
[[ -n $(status_field status1.json last_deployment.id) && -n $(status_field status1.json next_renewal) ]] ||
  fail "no last deployment or next renewal"
echo "status fields agree with openssl x509: subject, issuer, key bits, signature algorithm, activated, expires, SHA-1, serial"
$node_agent status --config agent.yaml | sed -E 's/^  ([a-zA-Z0-9 -]+):.*/  \1/'

# The CA is regenerated behind a new server on the same port.
stop_ca
start_ca new "CN=Fleet Root B,O=certfleet"
before=$(snapshot node1/cert.pem node1/chain.pem node1/key.pem out/cert.pem out/key.pem trust/root.pem)
rc=0; $node_agent --config agent.yaml --once > change.txt 2> change.err || rc=$?
echo "agent --once after the CA change: exit $rc"
new_fp=$(sha256_of new/root.pem)
old_fp=$(sha256_of old/root.pem)
grep -q "node1: NEEDS OPERATOR: .*$new_fp" change.txt || fail "the report does not name the new root's fingerprint: $(cat change.txt)"
grep -q "NEEDS OPERATOR" change.err || fail "nothing said on stderr"
grep -o "agent trust --config CONFIG --ca-fingerprint" change.txt
[[ $(snapshot node1/cert.pem node1/chain.pem node1/key.pem out/cert.pem out/key.pem trust/root.pem) == "$before" ]] ||
  fail "files changed"
echo "every file as it was"
rc=0; $node_agent status --config agent.yaml --json > status2.json || rc=$?
echo "agent status: exit $rc, state $(status_field status2.json state), flags $(status_field status2.json flags)"
[[ $(status_field status2.json presented_root.sha256) == "$new_fp" ]] || fail "status: presented root"
echo "status names the presented root: the new root's SHA-256 (openssl x509 -fingerprint -sha256)"
rc=0; $node_agent --config agent.yaml --once > change2.txt 2>/dev/null || rc=$?
echo "the next pass, still untrusted: exit $rc"

# agent trust: the old fingerprint is not the server's root (denied, nothing written).
rc=0; $cf agent trust --config agent.yaml --ca-fingerprint "$old_fp" > trust1.txt 2> trust1.err || rc=$?
echo "agent trust with a wrong fingerprint: exit $rc"
grep -q "$new_fp" trust1.err && grep -q "$old_fp" trust1.err || fail "both fingerprints not named: $(cat trust1.err)"
echo "both fingerprints named"
[[ $(snapshot node1/cert.pem node1/chain.pem node1/key.pem out/cert.pem out/key.pem trust/root.pem) == "$before" ]] ||
  fail "files changed"
[[ $(status_field <(echo "[$(cat agent-state/agent/node1.json)]") state) == needs_operator ]] || fail "state moved"

# The right one (lower case, no colons) and a new token from the new CA: enrolled again.
$cf token create --name node1.example.com --san IP:127.0.0.1 > node.token 2>/dev/null
lower=$(tr -d : <<<"$new_fp" | tr A-F a-f)
rc=0; $node_agent trust --config agent.yaml --ca-fingerprint "$lower" > trust2.txt || rc=$?
echo "agent trust with the new root's fingerprint: exit $rc"
sed -E -e 's/SHA-256 [0-9A-F:]+/SHA-256 FP/' -e "s|$PWD/||" trust2.txt
cmp -s trust/root.pem new/root.pem || fail "ca_file is not the new root"
$node_agent --config agent.yaml --once > pass3.txt || { cat pass3.txt; fail "re-enrollment"; }
sed -E 's/serial [0-9a-f]+, deployed \([^)]*\); next renewal .*/serial S, deployed (ID); next renewal DATE/' pass3.txt
openssl verify -CAfile new/root.pem -untrusted node1/chain.pem node1/cert.pem >/dev/null || fail "openssl verify (new CA)"
cmp -s node1/cert.pem out/cert.pem || fail "the target does not hold the new certificate"
rc=0; $node_agent status --config agent.yaml --json > status3.json || rc=$?
echo "agent status: exit $rc, state $(status_field status3.json state)"
[[ $(status_field status3.json issuer) == "$(openssl x509 -in node1/cert.pem -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')" ]] ||
  fail "issuer"
[[ $(status_field status3.json issuer) != "$(status_field status1.json issuer)" ]] || fail "same issuer as before"
echo "status shows the new issuer: $(status_field status3.json issuer)"

# A pass killed mid-deployment leaves "deploying": the next one starts again from needs_key and renews.
$py - agent-state/agent/node1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["state"] = "deploying"; json.dump(d, open(sys.argv[1], "w"))
PY
old_serial=$(serial_of node1/cert.pem)
$node_agent --config agent.yaml --once > pass4.txt || { cat pass4.txt; fail "resume"; }
sed -E 's/renewed [0-9a-f]+ -> [0-9a-f]+, deployed \([^)]*\); next renewal .*/renewed S1 -> S2, deployed (ID); next renewal DATE/' pass4.txt
[[ $(serial_of node1/cert.pem) != "$old_serial" ]] || fail "not renewed"
echo "state: $(status_field <(echo "[$(cat agent-state/agent/node1.json)]") state)"

grep -rqF "$(cat node.token)" ./*.txt ./*.err new/server.log && fail "a token in the output"
grep -rq 'PRIVATE KEY' ./*.txt ./*.err new/server.log old/server.log && fail "a key in the output"
stop_ca
echo "done"
