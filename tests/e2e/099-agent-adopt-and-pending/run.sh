# The two other ways a node gets its first certificate (issue 15), real binaries on 127.0.0.1.
# Pending request (Puppet style): a node agent (certfleet-agent) with `bootstrap: {pending_request: true}`
# posts its CSR with no token; `--once` exits 5 with the certificate pending_at_ca (agent status --json
# says so), its key kept 0600 in the state directory; a second pass polls the same request with the same
# key; `certfleet request approve NAME`, and the next pass deploys it (openssl verify, key 0600, key and
# certificate match). A denied request makes the next pass fail (1) with the reason, state rejected.
# Offline fallback (seed 001): `certfleet node package` on the CA host writes a 0600 tar (GNU tar lists
# the four 0600 members); with the server stopped, `agent adopt --from` on the node deploys it (openssl
# verify, key 0600, state adopted); a package for another node, and one whose key does not match, are
# refused (2) and leave the deployed files byte for byte.
cf=$CERTFLEET
node_agent=$(dirname "$cf")/certfleet-agent
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$SCENARIO/../serve_fixtures.sh"
serve_ca "CN=Adopt Root,O=certfleet" $'requests: {profile: peer}\n'

# node DIR NAME: a node's agent configuration, pending-request bootstrap, one PEM target.
node() {
  mkdir -p "$1/files" "$1/out"
  printf 'certificate: {cert: %s/files/cert.pem, chain: %s/files/chain.pem, key: %s/files/key.pem}\ntargets: [{format: pem, path: %s/out}]\n' \
    "$PWD/$1" "$PWD/$1" "$PWD/$1" "$PWD/$1" > "$1/deploy.yaml"
  cat > "$1/agent.yaml" <<YAML
server: $url
ca_file: $PWD/root.pem
state_dir: $PWD/$1/state
bootstrap: {pending_request: true}
certificates:
  - {name: web, deploy: deploy.yaml, subject: CN=$2, sans: ["DNS:$2"]}
YAML
}
status_field() {  # status_field FILE FIELD: a field of the first certificate of `agent status --json`
  $py -c 'import json,sys; print(json.load(open(sys.argv[1]))[0][sys.argv[2]])' "$1" "$2"
}
# check_files DIR: the deployed certificate verifies against the root, its key matches and is 0600.
check_files() {
  openssl verify -CAfile root.pem -untrusted "$1/files/chain.pem" "$1/files/cert.pem" >/dev/null || fail "$1: openssl verify"
  [[ $(openssl x509 -in "$1/files/cert.pem" -noout -pubkey) == "$(openssl pkey -in "$1/files/key.pem" -pubout)" ]] ||
    fail "$1: key and certificate do not match"
  echo "$1: openssl verify OK, key matches, key mode $(stat -c '%a' "$1/files/key.pem")"
}
ids() { sed -E 's/request [0-9]+/request ID/g; s/approve [0-9]+/approve ID/g'; }

echo "== pending, then approved"
node a node-a.example.com
rc=0; $node_agent --config a/agent.yaml --once > a/pass1.txt || rc=$?
echo "first pass: exit $rc"; ids < a/pass1.txt
id=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending_request"])' a/state/agent/web.json)
echo "pending key: mode $(stat -c '%a' a/state/agent/web.key); certificate files: $(ls a/files | wc -l)"
rc=0; $node_agent status --config a/agent.yaml --json > a/status1.json || rc=$?
echo "agent status: exit $rc, state $(status_field a/status1.json state)"
key_before=$(sha256sum < a/state/agent/web.key)
cp a/state/agent/web.key a/pending.key
rc=0; $node_agent --config a/agent.yaml --once > a/pass2.txt || rc=$?
echo "second pass: exit $rc"; ids < a/pass2.txt
[[ $($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending_request"])' a/state/agent/web.json) == "$id" ]] ||
  fail "the second pass made a new request"
[[ $(sha256sum < a/state/agent/web.key) == "$key_before" ]] || fail "the second pass made a new key"
echo "second pass: same request, same key"
$cf request approve node-a.example.com --passphrase-file pw | sed -E "s/^request $id /request ID /; s/serial [0-9a-f]+, expires .*/serial S/"
rc=0; $node_agent --config a/agent.yaml --once > a/pass3.txt || rc=$?
echo "third pass: exit $rc"
sed -E 's/serial [0-9a-f]+, deployed \([^)]*\); next renewal .*/serial S, deployed (ID); next renewal DATE/' a/pass3.txt
check_files a
[[ $(openssl pkey -in a/files/key.pem -pubout) == "$(openssl pkey -in a/pending.key -pubout)" ]] ||
  fail "the deployed key is not the one the request was made with"
echo "the deployed key is the pending request's"
[[ ! -e a/state/agent/web.key ]] || fail "the pending key was kept after deployment"
rc=0; $node_agent status --config a/agent.yaml --json > a/status2.json || rc=$?
echo "agent status: exit $rc, state $(status_field a/status2.json state)"

echo "== pending, then denied"
node b node-b.example.com
rc=0; $node_agent --config b/agent.yaml --once > /dev/null || rc=$?
echo "first pass: exit $rc"
idb=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending_request"])' b/state/agent/web.json)
$cf request deny "$idb" --reason "unknown host" | sed "s/^request $idb /request ID /"
rc=0; $node_agent --config b/agent.yaml --once > b/pass2.txt || rc=$?
echo "second pass: exit $rc"; ids < b/pass2.txt
rc=0; $node_agent status --config b/agent.yaml --json > b/status.json || rc=$?
echo "agent status: exit $rc, state $(status_field b/status.json state)"
[[ ! -e b/state/agent/web.key && ! -e b/files/cert.pem ]] || fail "a denied request left a key or files"

echo "== a daemon waits for its approval without warnings, then deploys"
node d node-d.example.com
$node_agent --config d/agent.yaml --interval 2s > d/agent.log 2> d/agent.err &
daemon_pid=$!
for _ in $(seq 200); do  # bounded (20 s): the state "the request is pending"
  $cf request list --json | $py -c 'import json,sys; sys.exit(0 if any(r["name"] == "node-d.example.com" for r in json.load(sys.stdin)) else 1)' && break
  sleep 0.1
done
$cf request approve node-d.example.com --passphrase-file pw > /dev/null
for _ in $(seq 300); do [[ -s d/files/cert.pem ]] && break; sleep 0.1; done  # bounded (30 s)
[[ -s d/files/cert.pem ]] || { cat d/agent.log d/agent.err >&2; fail "the daemon did not deploy the approved certificate"; }
kill "$daemon_pid"; wait "$daemon_pid" || true
check_files d
grep -q 'level=warning' d/agent.err && { cat d/agent.err >&2; fail "a warning while waiting for an approval"; }
grep -q 'pending: request' d/agent.log || fail "the daemon did not report its pending request"
[[ $(grep -c 'enrolled serial' d/agent.log) == 1 ]] || fail "not one enrollment: $(cat d/agent.log)"
echo "daemon: reported pending, then one enrollment; no warning on stderr"

echo "== offline fallback: node package, then agent adopt with the server stopped"
$cf node package node-c.example.com --out node-c.tar --passphrase-file pw | sed -E 's/serial [0-9a-f]+, expires [^;]+;/serial S, expires DATE;/'
echo "package mode $(stat -c '%a' node-c.tar)"
tar -tvf node-c.tar | awk '{ print "  tar -tvf:", $1, $NF }'
$cf node package node-d.example.com --out node-d.tar --passphrase-file pw > /dev/null
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
node c node-c.example.com
rc=0; $node_agent adopt --config c/agent.yaml --from node-c.tar > c/adopt.txt || rc=$?
echo "adopt: exit $rc"
sed -E 's/serial [0-9a-f]+ \(expires [^)]+\), deployed \([^)]*\); next renewal .*/serial S (expires DATE), deployed (ID); next renewal DATE/' c/adopt.txt
check_files c
[[ $(openssl x509 -in c/files/cert.pem -noout -serial | cut -d= -f2 | tr A-F a-f) == \
   $(tar -xOf node-c.tar manifest.json | $py -c 'import json,sys; print(json.load(sys.stdin)["serial"])') ]] ||
  fail "the deployed serial is not the package's"
rc=0; $node_agent status --config c/agent.yaml --json > c/status.json || rc=$?
echo "agent status: exit $rc, state $(status_field c/status.json state), last pass $(status_field c/status.json last_outcome)"
before=$(cat c/files/* c/out/* | sha256sum)

rc=0; $node_agent adopt --config c/agent.yaml --from node-d.tar > /dev/null 2> c/err1.txt || rc=$?
echo "adopt another node's package: exit $rc"
sed -E 's/^certfleet-agent: //; s/\(node-d.example.com(, node-d.example.com)?\)/(NAMES)/' c/err1.txt
# A package whose key is another node's, made with GNU tar (ustar, 0600 members).
mkdir mixed && tar -xf node-c.tar -C mixed && tar -xOf node-d.tar key.pem > mixed/key.pem
(cd mixed && chmod 600 ./* && tar --format=ustar -cf ../mixed.tar cert.pem chain.pem key.pem manifest.json)
rc=0; $node_agent adopt --config c/agent.yaml --from mixed.tar > /dev/null 2> c/err2.txt || rc=$?
echo "adopt a package with a key that does not match: exit $rc"
grep -q "mixed.tar" c/err2.txt || fail "the refusal does not name the package: $(cat c/err2.txt)"
[[ $(cat c/files/* c/out/* | sha256sum) == "$before" ]] || fail "a refused package changed the files"
echo "refused packages: the deployed files are unchanged, byte for byte"
rc=0; $node_agent status --config c/agent.yaml --json > c/status2.json || rc=$?
echo "agent status: state $(status_field c/status2.json state)"
