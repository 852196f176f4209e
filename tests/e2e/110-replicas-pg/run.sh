# Two `certfleet serve` replicas share one PostgreSQL database (label pg: the throwaway server of
# scripts/with-postgres). One-time tokens sent to both replicas at the same moment enroll once each; a
# node enrolled at one replica renews at the other; an ACME nonce from one is good once at the other and
# then refused at both; a revocation made on the CA host is on the CRL both replicas serve (one CRL, one
# number); `certfleet node renew` reaches a node whose agent long-polls the second replica.
source "$SCENARIO/../deploy_fixtures.sh"
[[ -n ${CERTFLEET_TEST_PG_URL:-} ]] || fail "needs CERTFLEET_TEST_PG_URL: run through scripts/with-postgres"
export OPENSSL_CONF=/dev/null
cf=$CERTFLEET
py=/usr/bin/python3
db="replicas_$$_$RANDOM"
psql -q "$CERTFLEET_TEST_PG_URL" -c "CREATE DATABASE $db"
export CERTFLEET_STORE="${CERTFLEET_TEST_PG_URL%/*}/$db"
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Replica Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
# start_replica NAME: `certfleet serve` on a free port with its own TLS directory; sets $replica_url once it
# answers /healthz (bounded wait).
start_replica() {
  local port; port=$(free_port)
  printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\ntls: {directory: %s/tls-%s}\nautosign: {globs: ["*.load.test"]}\n' \
    "$port" "$PWD" "$PWD" "$1" > "$1.yaml"
  $cf serve --config "$1.yaml" > /dev/null 2>>"$1.log" &
  local pid=$!
  pids+=("$pid")
  replica_url="https://127.0.0.1:$port"
  for _ in $(seq 1 200); do
    curl -sf --cacert root.pem "$replica_url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$1.log" >&2; fail "replica $1 exited"; }
    sleep 0.05
  done
  fail "replica $1 did not answer /healthz"
}
start_replica a
a=$replica_url
start_replica b
b=$replica_url
echo "two replicas on one PostgreSQL database"

# enroll DIR TOKEN URL: POST /v1/enroll with DIR's CSR; prints the HTTP status, the answer in DIR/answer-HOST.json
enroll() {
  $py -c 'import json,sys; print(json.dumps({"token": sys.argv[2], "csr_pem": open(sys.argv[1]).read()}))' \
    "$1/csr.pem" "$2" > "$1/request.json"
  curl -sS -o "$1/answer-${3##*:}.json" -w '%{http_code}' --cacert root.pem -H 'Content-Type: application/json' \
    --data-binary "@$1/request.json" "$3/v1/enroll"
}
won=0
for i in 1 2 3 4 5 6; do
  token=$($cf token create --name "node$i.example.com" 2>/dev/null)
  mkdir "n$i"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "n$i/key.pem" \
    -subj "/CN=node$i.example.com" -addext "subjectAltName=DNS:node$i.example.com" -out "n$i/csr.pem" 2>/dev/null
  enroll "n$i" "$token" "$a" > "n$i/a.code" &
  at_a=$!
  enroll "n$i" "$token" "$b" > "n$i/b.code" &
  at_b=$!
  wait "$at_a" "$at_b"
  codes="$(cat "n$i/a.code") $(cat "n$i/b.code")"
  case $codes in
    "201 403" | "403 201") won=$((won + 1)) ;;
    *) fail "token $i sent to both replicas at once: HTTP $codes (one 201 and one 403 expected)" ;;
  esac
  grep -l 'token: already used' n$i/answer-*.json >/dev/null || fail "token $i: the refusal does not say why"
done
issued=$($cf cert list --json | $py -c 'import json,sys; print(sum(c["requester"].startswith("token") for c in json.load(sys.stdin)))')
echo "6 tokens sent to both replicas at once: $won enrolled once each, $issued certificates issued"

# 2,000 enrollments (autosigned requests) from 16 clients, split between the replicas.
$py "$SCENARIO/load.py" root.pem "$a" "$b" 2000 16
in_ledger=$($cf cert list --json | $py -c '
import json, sys
serials = {c["serial"].lstrip("0") for c in json.load(sys.stdin)}
print(sum(line.strip() in serials for line in open("load-serials.txt")))')
echo "in the ledger: $in_ledger of them"

# node1 enrolled at one replica renews at the other: the agent (certfleet-agent) points at the winner's peer.
winner=$([[ $(cat n1/a.code) == 201 ]] && echo a || echo b)
peer=$([[ $winner == a ]] && echo "$b" || echo "$a")
answer=$(grep -l certificate_pem n1/answer-*.json)
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); open("n1/cert.pem","w").write(d["certificate_pem"]); open("n1/chain.pem","w").write(d["chain_pem"])' "$answer"
mkdir out
printf 'certificate: {cert: n1/cert.pem, chain: n1/chain.pem, key: n1/key.pem}\ntargets: [{format: pem, path: out}]\n' > n1.yaml
printf 'server: %s\nca_file: root.pem\nstate_dir: agent-state\ncertificates:\n  - {name: node1, deploy: n1.yaml}\n' \
  "$peer" > agent.yaml
node_agent=$(dirname "$cf")/certfleet-agent
old=$(serial_of n1/cert.pem)
$node_agent --config agent.yaml --once --force > renew.txt || { cat renew.txt; fail "renewal at the other replica"; }
new=$(serial_of n1/cert.pem)
[[ $new != "$old" ]] || fail "the serial did not change"
openssl verify -CAfile root.pem -untrusted n1/chain.pem n1/cert.pem >/dev/null || fail "openssl verify the renewal"
renews=$($cf cert show "$(openssl x509 -in n1/cert.pem -noout -serial | cut -d= -f2 | tr A-F a-f)" | $py -c 'import json,sys; print(json.load(sys.stdin)["renews"].lstrip("0"))')
[[ $renews == "$old" ]] || fail "the ledger says the renewal renews $renews, not $old"
echo "node1 enrolled at one replica, renewed at the other: the ledger links the two serials"

# ACME: a nonce from replica a is good once at replica b, then refused at both (the shared replay table).
jws="$py $SCENARIO/../101-acme-refusals/jws.py"
nonce=$(curl -sS --cacert root.pem -I "$a/acme/main/new-nonce" | grep -i '^replay-nonce:' | cut -d' ' -f2 | tr -d '\r')
acme_post() {  # acme_post URL NONCE: new-account at URL with NONCE; prints the HTTP status and ACME error
  $jws account.key "$1/acme/main/new-account" "$2" '{"termsOfServiceAgreed": true}' > req.json
  local code
  code=$(curl -sS --cacert root.pem -o acme.json -w '%{http_code}' -H 'Content-Type: application/jose+json' \
    --data-binary @req.json "$1/acme/main/new-account")
  echo "HTTP $code$($py -c 'import json; t=json.load(open("acme.json")).get("type"); print(" " + t.rsplit(":", 1)[-1] if t else "")')"
}
echo "ACME nonce from replica a, used at b: $(acme_post "$b" "$nonce")"
echo "the same nonce again at a: $(acme_post "$a" "$nonce")"
echo "the same nonce again at b: $(acme_post "$b" "$nonce")"

# A revocation on the CA host: both replicas serve the same CRL, which lists it.
answer2=$(grep -l certificate_pem n2/answer-*.json)
$py -c 'import json,sys; open("n2/cert.pem","w").write(json.load(open(sys.argv[1]))["certificate_pem"])' "$answer2"
victim=$(serial_of n2/cert.pem)
$cf cert revoke "$victim" --passphrase-file pw >/dev/null 2>&1
curl -sS --cacert root.pem -o crl-a.der "$a/v1/crl"
curl -sS --cacert root.pem -o crl-b.der "$b/v1/crl"
cmp -s crl-a.der crl-b.der || fail "the replicas serve different CRLs"
openssl crl -inform DER -in crl-a.der -noout -text | grep -qi "Serial Number: 0*$victim" || fail "the CRL does not list $victim"
echo "both replicas serve one CRL, listing the certificate revoked on the CA host"
numbers=$(psql -qtA "$CERTFLEET_STORE" -c "SELECT count(*) = count(DISTINCT (issuer_id, signer, number)) FROM crls")
echo "every CRL in the store has its own number: $numbers"

# node renew from the CA host reaches node1's agent daemon, which long-polls the peer replica.
$node_agent --config agent.yaml --json > daemon.log 2> daemon.err &
agent_pid=$!
pids+=("$agent_pid")
for _ in $(seq 1 200); do  # bounded wait for the state "node1 is connected"
  $cf node list --json | $py -c 'import json,sys; n=[x for x in json.load(sys.stdin) if x["name"] == "node1.example.com"]; sys.exit(0 if n and n[0]["connected"] else 1)' && break
  kill -0 "$agent_pid" 2>/dev/null || { cat daemon.err; fail "agent exited"; }
  sleep 0.05
done
before=$(serial_of n1/cert.pem)
$cf node renew node1.example.com --timeout 60s > node-renew.txt || { cat node-renew.txt; fail "node renew"; }
[[ $(serial_of n1/cert.pem) != "$before" ]] || fail "node renew did not change node1's certificate"
echo "node renew through the store: node1 renewed at the replica it polls"
kill -TERM "$agent_pid"; rc=0; wait "$agent_pid" || rc=$?; echo "agent stopped: exit $rc"
grep -q 'PRIVATE KEY' a.log b.log && fail "key in a replica's log"
echo "no key in either replica's log"
