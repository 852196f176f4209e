# A remote renew over mTLS (POST /v1/renew) with curl as the node: the node proves itself with the
# certificate it has, sends a CSR for a new key, and gets a certificate with the same subject and names,
# recorded as renewing the old one; it then renews again with the new one. A CSR asking for a name the
# certificate does not have, another subject, no client certificate, or a revoked one: refused, naming
# why, and nothing issued.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Serve Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
$cf cert issue --profile peer --subject CN=node1.example.com --san DNS:node1.internal.example.com \
  --out-dir node1 --passphrase-file pw 2>/dev/null

port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="https://127.0.0.1:$port"
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD" > server.yaml
source "$SCENARIO/../serve_fixtures.sh"
start_serve "$url"

count() { $cf cert list --json | $py -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# renew DIR NEWDIR [openssl req -addext ...]: POST /v1/renew as DIR's certificate, for a new key in NEWDIR;
# prints the HTTP status, leaves the answer in NEWDIR/answer.json
renew() {
  local dir=$1 new=$2 subject=${3:-/CN=node1.example.com} names=${4:-DNS:node1.example.com,DNS:node1.internal.example.com}
  mkdir -p "$new"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$new/key.pem" -subj "$subject" \
    -addext "subjectAltName=$names" -out "$new/csr.pem" 2>/dev/null
  $py -c 'import json,sys; print(json.dumps({"csr_pem": open(sys.argv[1]).read()}))' "$new/csr.pem" > "$new/request.json"
  curl -sS -o "$new/answer.json" -w '%{http_code}' --cacert root.pem --cert "$dir/cert.pem" --key "$dir/key.pem" \
    -H 'Content-Type: application/json' --data-binary "@$new/request.json" "$url/v1/renew"
}
field() { $py -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

echo "renew over mTLS: HTTP $(renew node1 node1-r1)"
field node1-r1/answer.json certificate_pem > node1-r1/cert.pem
field node1-r1/answer.json chain_pem > node1-r1/chain.pem
openssl verify -CAfile root.pem -untrusted node1-r1/chain.pem node1-r1/cert.pem >/dev/null || fail "openssl verify"
openssl x509 -in node1-r1/cert.pem -noout -pubkey > a.pub; openssl pkey -in node1-r1/key.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "the certificate is not for the node's new key"
[[ $(openssl x509 -in node1-r1/cert.pem -noout -subject) == "$(openssl x509 -in node1/cert.pem -noout -subject)" ]] || fail "subject"
old=$(openssl x509 -in node1/cert.pem -noout -serial | cut -d= -f2)
new=$(field node1-r1/answer.json serial)
$cf cert show "$new" | $py -c "import json,sys; d=json.load(sys.stdin); print('ledger: renews the old serial' if d['renews'].lstrip('0') == '$old'.lower().lstrip('0') else d, '| requester', d['requester'])"
echo "verified by openssl; same subject; new key"
echo "renew with the renewed certificate: HTTP $(renew node1-r1 node1-r2)"
field node1-r2/answer.json certificate_pem > node1-r2/cert.pem

# A server-only certificate (no clientAuth) from this CA: the handshake completes and the answer says why.
$cf cert issue --profile server --subject CN=web.example.com --san DNS:web.example.com --out-dir web \
  --passphrase-file pw 2>/dev/null
before=$(count)
echo "a name the certificate does not have: HTTP $(renew node1-r2 x1 /CN=node1.example.com DNS:node1.example.com,DNS:evil.example.com)"
grep -o 'does not hold DNS:evil.example.com: a renewal may only carry its own names' x1/answer.json
echo "another subject: HTTP $(renew node1-r2 x2 /CN=node2.example.com DNS:node1.example.com)"
grep -o 'a renewal keeps the subject' x2/answer.json
code=$(curl -sS -o x3.json -w '%{http_code}' --cacert root.pem -H 'Content-Type: application/json' \
  --data-binary @node1-r1/request.json "$url/v1/renew")
echo "no client certificate: HTTP $code"
echo "a certificate without clientAuth: HTTP $(renew web x5 /CN=web.example.com DNS:web.example.com)"
grep -o 'no clientAuth extended key usage' x5/answer.json
$cf cert revoke "$(tr A-F a-f <<<"$old")" --reason keyCompromise --passphrase-file pw >/dev/null
echo "a revoked certificate: HTTP $(renew node1 x4)"
grep -o 'revoked' x4/answer.json | head -1
[[ $(count) == "$before" ]] || fail "a refused renewal issued a certificate"
echo "refusals issued nothing"
grep -q 'PRIVATE KEY' server.log && fail "key in the log"
kill -TERM "$server_pid"; rc=0; wait "$server_pid" || rc=$?; echo "server stopped: exit $rc"
