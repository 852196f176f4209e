# The CLI's --server mode: `request list/approve/deny`, `node list`, `node renew` and `token create` ask
# a running server's admin routes (/v1/admin/...) as an admin certificate instead of reading the store.
# An operator (alice) sees a pending request and approves it by name (the node then fetches its
# certificate with GET /v1/requests/ID) and denies another; `node list --server --json` shows the agent
# connected with the seed's certificate fields; `node renew node1 --server` reaches the agent through its
# long-poll and returns its report. `token create --server` works for an admin (ada) and the token
# enrolls; an operator is refused (3), as is a reader approving (3), no client certificate (3) and a
# certificate of the same CA that is not on the admin list (3); a server that is down is 5, naming the
# host. Decisions are audited as admin:NAME; the token never reaches the server's log.
source "$SCENARIO/../deploy_fixtures.sh"
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_STATE_DIR="$PWD/state"
export OPENSSL_CONF=/dev/null
cf=$CERTFLEET
py=python3
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Admin Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
$cf admin-cert issue alice --role operator --out-cert alice.pem --out-key alice.key --passphrase-file pw 2>/dev/null
$cf admin-cert issue rita --role reader --out-cert rita.pem --out-key rita.key --passphrase-file pw 2>/dev/null
$cf admin-cert issue ada --role admin --out-cert ada.pem --out-key ada.key --passphrase-file pw 2>/dev/null
$cf cert issue --profile client --subject CN=ada --out-dir impostor --passphrase-file pw 2>/dev/null
$cf cert issue --profile peer --subject CN=node1 --san DNS:node1,IP:127.0.0.1 --out-dir live \
  --passphrase-file pw 2>/dev/null

port=$(free_port)
url="https://127.0.0.1:$port"
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD" > server.yaml
source "$SCENARIO/../serve_fixtures.sh"
start_serve "$url"

# as WHO COMMAND...: certfleet COMMAND against the server as WHO (nobody: no client certificate).
as() {
  local who=$1
  shift
  local cert=()
  case $who in
    nobody) ;;
    impostor) cert=(--admin-cert impostor/cert.pem --admin-key impostor/key.pem) ;;
    *) cert=(--admin-cert "$who.pem" --admin-key "$who.key") ;;
  esac
  CERTFLEET_STORE= $cf "$@" --server "$url" --ca-file root.pem "${cert[@]}"
}
# submit NAME: a P-256 CSR for NAME queued with POST /v1/requests (curl); prints the request id.
submit() {
  mkdir -p "$1"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1/key.pem" -subj "/CN=$1" \
    -addext "subjectAltName=DNS:$1" -out "$1/csr.pem" 2>/dev/null
  $py -c 'import json,sys; print(json.dumps({"csr_pem": open(sys.argv[1]).read()}))' "$1/csr.pem" > "$1/request.json"
  curl -sS -o "$1/answer.json" --cacert root.pem -H 'Content-Type: application/json' \
    --data-binary "@$1/request.json" "$url/v1/requests"
  $py -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$1/answer.json"
}

id=$(submit pending1.example.com)
as alice request list > list.txt
awk 'NR==1 {print "request list:", $1, $2, $3, $4} NR>1 {print "  ", $2, $3, $4, $6}' list.txt
as rita request list --json | $py -c '
import json,sys
r = json.load(sys.stdin)
print("reader lists as JSON:", [(x["name"], x["state"], x["decided_at"]) for x in r])'

rc=0; as rita request approve pending1.example.com > rita.txt 2>&1 || rc=$?
echo "a reader approves: exit $rc"
grep -o 'admin rita has role reader: to approve certificate requests needs role operator' rita.txt
rc=0; as nobody request list > nobody.txt 2>&1 || rc=$?
echo "no admin certificate: exit $rc"
grep -o 'needs a client certificate issued by this CA' nobody.txt
rc=0; as impostor request list > impostor.txt 2>&1 || rc=$?
echo "a certificate of the CA not on the admin list: exit $rc"
grep -o 'not an admin certificate of authority "main"' impostor.txt

as alice request approve pending1.example.com > approve.txt
sed -E 's/serial [0-9a-f]+, expires .*/serial SERIAL, expires TIME/' approve.txt
curl -sS --cacert root.pem "$url/v1/requests/$id" > fetched.json
$py -c '
import json
d = json.load(open("fetched.json"))
print("the node fetches request", "ID:", d["state"])
open("issued.pem", "w").write(d["certificate"]["certificate_pem"])
open("issued-chain.pem", "w").write(d["certificate"]["chain_pem"])'
openssl verify -CAfile root.pem -untrusted issued-chain.pem issued.pem | sed 's/^issued.pem/the fetched certificate/'

id2=$(submit pending2.example.com)
as alice request deny "$id2" --reason "unknown host" --json |
  $py -c 'import json,sys; d=json.load(sys.stdin); print("deny:", d["name"], d["state"], d["reason"], d["decided_by"])'
rc=0; as alice request deny "$id2" > again.txt 2>&1 || rc=$?
echo "deny it again: exit $rc"
as alice request list --all --json |
  $py -c 'import json,sys; print("request list --all:", sorted((r["name"], r["state"], r["decided_by"]) for r in json.load(sys.stdin)))'

# An agent holding the long-poll for node1.
mkdir certs
cat > node1.yaml <<YAML
certificate: {cert: live/cert.pem, chain: live/chain.pem, key: live/key.pem}
targets:
  - {format: haproxy, path: certs/node1.pem}
YAML
printf 'server: %s\nca_file: root.pem\nstate_dir: agent-state\ncertificates:\n  - name: edge\n    deploy: node1.yaml\n' \
  "$url" > agent.yaml
node_agent=$(dirname "$cf")/certfleet-agent
$node_agent --config agent.yaml --json > agent.log 2> agent.err &
agent_pid=$!
trap 'kill $server_pid $agent_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do  # bounded wait for the state "node1 is connected"
  as rita node list --json > nodes.json
  $py -c 'import json,sys; n=json.load(open("nodes.json")); sys.exit(0 if n and n[0]["connected"] and n[0]["certificates"] else 1)' && break
  kill -0 "$agent_pid" 2>/dev/null || { cat agent.err; fail "agent exited"; }
  sleep 0.05
done
$py - <<'PY'
import json
n = json.load(open("nodes.json"))[0]
c = n["certificates"][0]
print("node list --server:", n["name"], "connected" if n["connected"] else "NOT connected")
print("  certificate", c["name"], c["state"], "| fields:", ", ".join(k for k in
      ("subject", "issuer", "key", "signature_algorithm", "activated", "expires", "sha1_fingerprint") if c.get(k)))
PY
as alice node list | grep -E '^node1: connected' | sed -E 's/last seen .*/last seen TIME, .../'
rc=0; as rita node renew node1 > rita-renew.txt 2>&1 || rc=$?
echo "a reader renews a node: exit $rc"
old=$(serial_of live/cert.pem)
rc=0; as alice node renew node1 --timeout 90s > renew.txt || rc=$?
echo "node renew node1 --server: exit $rc"
grep -oE 'renew action [0-9]+ on node1: succeeded' renew.txt | sed -E 's/[0-9]+/N/'
new=$(serial_of live/cert.pem)
[[ $new != "$old" ]] || fail "live/cert.pem still holds the old certificate"
grep -qE "renewed 0*$old -> 0*$new" renew.txt || fail "the report does not name both serials: $(cat renew.txt)"
echo "the node's report names the old and new serials"
rc=0; as alice node renew nosuch > nosuch.txt 2>&1 || rc=$?
echo "node renew of an unknown node: exit $rc"
rc=0; as rita node run node1 touch-marker > rita-run.txt 2>&1 || rc=$?
echo "a reader runs an operation: exit $rc"
rc=0; as alice node run node1 no-such-op > run.txt 2>&1 || rc=$?
echo "node run node1 no-such-op --server: exit $rc"
grep -m1 -o 'no operation no-such-op in this node.s configuration' run.txt

as ada token create --name node9.example.com --ttl 10m > token.txt 2> token.err
token=$(cat token.txt)
[[ $token == cft_* ]] || fail "token create printed $(cat token.txt)"
sed -E 's/token [0-9a-f]{12}/token ID/; s/until .*/until TIME/' token.err
grep -qF "$token" server.log && fail "the token is in the server's log"
echo "the token is not in the server's log"
mkdir n9
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout n9/key.pem -subj /CN=node9.example.com \
  -addext "subjectAltName=DNS:node9.example.com" -out n9/csr.pem 2>/dev/null
$py -c 'import json,sys; print(json.dumps({"token": sys.argv[1], "csr_pem": open("n9/csr.pem").read()}))' "$token" > n9/enroll.json
echo "the token enrolls: HTTP $(curl -sS -o n9/answer.json -w '%{http_code}' --cacert root.pem \
  -H 'Content-Type: application/json' --data-binary @n9/enroll.json "$url/v1/enroll")"
rc=0; as alice token create --name node8.example.com > op-token.txt 2>&1 || rc=$?
echo "an operator creates a token: exit $rc"
grep -o 'to create enrollment tokens needs role admin' op-token.txt
rc=0; as alice token create --name node8.example.com --store sqlite://x.db > both.txt 2>&1 || rc=$?
echo "--server with --store: exit $rc"

$cf ca audit --json > audit.json
$py -c '
import json
a = json.load(open("audit.json"))
seen = sorted({(e["actor"], e["action"]) for e in a if e["actor"].startswith("admin:")})
for actor, action in seen: print("audit:", actor, action)'

kill "$agent_pid" "$server_pid"; wait "$agent_pid" "$server_pid" 2>/dev/null || true
rc=0; as alice request list > down.txt 2>&1 || rc=$?
echo "server down: exit $rc"
grep -qF "127.0.0.1:$port" down.txt || fail "the error does not name the server: $(cat down.txt)"
echo "the error names the server"
