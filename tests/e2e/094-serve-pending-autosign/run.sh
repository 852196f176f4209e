# Pending requests (POST /v1/requests, no token), Puppet style: a CSR waits (202 with an id), GET
# /v1/requests/ID says pending; `certfleet request list` shows it, `request approve NAME` issues it and GET
# then holds the certificate (openssl verify); `request deny ID` makes GET say denied with the reason; a
# second pending request for one name is refused (409). Autosign from the server config: a name glob
# with the shared challengePassword (a CSR made by openssl with the attribute) issues at once (201); the
# glob without the challenge, and other names, go to the policy executable, which gets the CSR on stdin
# and the name as its argument and approves by exit 0. `certfleet enroll --wait` waits for an operator.
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 's3cret-challenge\n' > challenge
# The policy: approve policy-* names whose CSR (read from stdin) has exactly that commonName.
cat > policy.sh <<'SH'
#!/bin/sh
subject=$(openssl req -noout -subject -nameopt RFC2253 2>/dev/null)
echo "$1 $subject" >> "$(dirname "$0")/policy.log"
case "$1" in policy-*) [ "$subject" = "subject=CN=$1" ] && exit 0 ;; esac
exit 1
SH
chmod +x policy.sh

source "$SCENARIO/../serve_fixtures.sh"
serve_ca "CN=Queue Root,O=certfleet" "requests: {profile: peer}
autosign:
  globs: [\"*.auto.example.com\"]
  challenge_file: $PWD/challenge
  policy_executable: $PWD/policy.sh
  policy_timeout: 10s
"

field() { $py -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]] if sys.argv[2] in d else "")' "$1" "$2"; }
# csr DIR CN [CHALLENGE]: a P-256 key and a CSR made by openssl (with a challengePassword when given)
csr() {
  mkdir -p "$1"
  printf '[req]\ndistinguished_name = dn\nprompt = no\n%s[dn]\nCN = %s\n' \
    "${3:+attributes = attrs
}" "$2" > "$1/req.cnf"
  [[ -n ${3:-} ]] && printf '[attrs]\nchallengePassword = %s\n' "$3" >> "$1/req.cnf"
  openssl req -new -config "$1/req.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1/key.pem" \
    -addext "subjectAltName=DNS:$2" -out "$1/csr.pem" 2>/dev/null
}
# submit DIR: POST /v1/requests with curl; prints the HTTP status, leaves the answer in DIR/answer.json
submit() {
  $py -c 'import json,sys; print(json.dumps({"csr_pem": open(sys.argv[1]).read()}))' "$1/csr.pem" > "$1/request.json"
  curl -sS -o "$1/answer.json" -w '%{http_code}' --cacert root.pem -H 'Content-Type: application/json' \
    --data-binary "@$1/request.json" "$url/v1/requests"
}
# poll DIR ID: GET /v1/requests/ID into DIR/status.json; prints the HTTP status
poll() { curl -sS -o "$1/status.json" -w '%{http_code}' --cacert root.pem "$url/v1/requests/$2"; }
# verify DIR JSON: the certificate in JSON's "certificate" verifies with openssl and is for DIR's key
verify() {
  $py -c 'import json,sys; c=json.load(open(sys.argv[1]))["certificate"]; open(sys.argv[2],"w").write(c["certificate_pem"]); open(sys.argv[3],"w").write(c["chain_pem"])' \
    "$2" "$1/cert.pem" "$1/chain.pem"
  openssl verify -CAfile root.pem -untrusted "$1/chain.pem" "$1/cert.pem" >/dev/null || fail "openssl verify $1"
  openssl x509 -in "$1/cert.pem" -noout -pubkey > a.pub; openssl pkey -in "$1/key.pem" -pubout > b.pub
  cmp -s a.pub b.pub || fail "$1: the certificate is not for its key"
  echo "  $1: verified by openssl, $(openssl x509 -in "$1/cert.pem" -noout -subject)"
}

echo "== pending, approve by name"
csr p1 node-p1.example.com
echo "submit: HTTP $(submit p1), state $(field p1/answer.json state)"
id1=$(field p1/answer.json id)
echo "GET: HTTP $(poll p1 "$id1"), state $(field p1/status.json state)"
echo "a second request for node-p1: HTTP $(submit p1)"
grep -o 'node-p1.example.com already has a pending request' p1/answer.json
$cf request list | awk 'NR > 1 { print "  list:", $2, $3, $4 }'
$cf request approve node-p1.example.com --passphrase-file pw | sed -E 's/serial [0-9a-f]+, expires .*/serial S/'
echo "GET: HTTP $(poll p1 "$id1"), state $(field p1/status.json state)"
verify p1 p1/status.json

echo "== pending, deny by id"
csr d1 node-d1.example.com
echo "submit: HTTP $(submit d1)"
id2=$(field d1/answer.json id)
$cf request deny "$id2" --reason "unknown host" | sed "s/^request $id2 /request ID /"
echo "GET: HTTP $(poll d1 "$id2"), state $(field d1/status.json state), reason: $(field d1/status.json reason)"
set +e
$cf request approve "$id2" --passphrase-file pw 2>approve.err
echo "approve the denied request: exit $?"
set -e
grep -o 'is denied already' approve.err
echo "GET an unknown request: HTTP $(poll d1 999999)"

echo "== autosign"
csr a1 web1.auto.example.com s3cret-challenge
echo "glob with the challenge: HTTP $(submit a1), state $(field a1/answer.json state)"
verify a1 a1/answer.json
csr a2 web2.auto.example.com wrong-challenge
echo "glob with a wrong challenge: HTTP $(submit a2), state $(field a2/answer.json state)"
csr a3 policy-ok.example.com
echo "policy executable approves: HTTP $(submit a3), state $(field a3/answer.json state)"
verify a3 a3/answer.json
csr a4 other.example.com
echo "policy executable refuses: HTTP $(submit a4), state $(field a4/answer.json state)"
echo "the policy saw (name, CSR subject from stdin):"
sed 's/^/  /' policy.log
grep -q 's3cret-challenge' server.log && fail "the challenge in the log"

echo "== certfleet enroll --wait"
mkdir w1
$cf enroll --server "$url" --ca-file root.pem --wait --poll-interval 1s --timeout 60s --new-key ec:p256 \
  --key w1/key.pem --subject CN=node-w1.example.com --san DNS:node-w1.example.com --out w1/cert.pem \
  --chain-out w1/chain.pem --json > w1/enroll.json 2>w1/enroll.err &
enroll_pid=$!
for _ in $(seq 1 100); do   # bounded wait for the state "the request is queued"
  $cf request list --json | grep -q node-w1.example.com && break
  sleep 0.1
done
$cf request approve node-w1.example.com --passphrase-file pw --json | $py -c 'import json,sys; print("approved:", [r["name"] for r in json.load(sys.stdin)])'
rc=0; wait "$enroll_pid" || rc=$?
echo "certfleet enroll --wait: exit $rc"
[[ $rc == 0 ]] || { cat w1/enroll.err; fail "enroll --wait"; }
openssl verify -CAfile root.pem -untrusted w1/chain.pem w1/cert.pem >/dev/null || fail "openssl verify w1"
[[ -n $(field w1/enroll.json request_id) ]] || fail "no request id"
stat -c 'key mode %a' w1/key.pem
mkdir w2
set +e
( for _ in $(seq 1 100); do   # bounded wait for the state "the request is queued", then deny it
    $cf request list --json | grep -q node-w3.example.com && break
    sleep 0.1
  done
  $cf request deny node-w3.example.com --reason "not ours" >/dev/null ) &
denier_pid=$!
$cf enroll --server "$url" --ca-file root.pem --wait --poll-interval 1s --timeout 60s --new-key ec:p256 \
  --subject CN=node-w3.example.com --out w2/w3.pem 2>w2/enroll.err
echo "certfleet enroll --wait, denied: exit $?"
set -e
wait "$denier_pid"
grep -o 'was denied: not ours' w2/enroll.err
[[ ! -e w2/w3.pem && ! -e w2/w3.key ]] || fail "files written after a denial"
$cf request approve --all --passphrase-file pw | sed -E 's/^request [0-9]+ /request ID /; s/serial [0-9a-f]+, expires .*/serial S/'

$cf request list --all --json | $py -c '
import json, sys
for r in json.load(sys.stdin):
    print(" ", r["name"], r["state"], r["decided_by"].split(":")[0], "serial" if r["serial"] else "-")'
kill -TERM "$server_pid"; rc=0; wait "$server_pid" || rc=$?; echo "server stopped: exit $rc"
