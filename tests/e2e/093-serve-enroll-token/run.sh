# A node's first certificate with a one-time token (POST /v1/enroll): `certfleet token create` prints
# only the token; curl enrolls with it and gets a certificate and chain that openssl verifies; the same
# token is refused the second time, and a fresh one for other names; an expired token and a CSR whose
# signature does not verify are refused; `certfleet enroll` enrolls with --token-file (root by
# --ca-file) and with --ca-fingerprint; nothing refused is issued, and no token reaches the log.
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$SCENARIO/../serve_fixtures.sh"
serve_ca "CN=Enroll Root,O=certfleet"

count() { $cf cert list --json | $py -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
field() { $py -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# csr DIR SUBJECT NAMES: a new P-256 key and CSR made by openssl in DIR
csr() {
  mkdir -p "$1"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1/key.pem" -subj "$2" \
    -addext "subjectAltName=$3" -out "$1/csr.pem" 2>/dev/null
}
# enroll DIR TOKEN: POST /v1/enroll with curl; prints the HTTP status, leaves the answer in DIR/answer.json
enroll() {
  $py -c 'import json,sys; print(json.dumps({"token": sys.argv[2], "csr_pem": open(sys.argv[1]).read()}))' \
    "$1/csr.pem" "$2" > "$1/request.json"
  curl -sS -o "$1/answer.json" -w '%{http_code}' --cacert root.pem -H 'Content-Type: application/json' \
    --data-binary "@$1/request.json" "$url/v1/enroll"
}

token=$($cf token create --name node1.example.com --san DNS:node1,IP:10.0.0.1 --ttl 10m 2>token.err)
[[ $(wc -l <<<"$token") == 1 && $token == cft_* ]] || fail "token create printed more than the token: $token"
echo "token create: one line on stdout ($(cut -c1-4 <<<"$token")...)"
before=$(count)
csr n1 /CN=node1.example.com DNS:node1.example.com,DNS:node1,IP:10.0.0.1
echo "enroll with curl: HTTP $(enroll n1 "$token")"
field n1/answer.json certificate_pem > n1/cert.pem
field n1/answer.json chain_pem > n1/chain.pem
openssl verify -CAfile root.pem -untrusted n1/chain.pem n1/cert.pem >/dev/null || fail "openssl verify"
openssl x509 -in n1/cert.pem -noout -pubkey > a.pub; openssl pkey -in n1/key.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "the certificate is not for the node's key"
openssl x509 -in n1/cert.pem -noout -ext subjectAltName | tail -1 | sed 's/^ */  names: /'
openssl x509 -in n1/cert.pem -noout -ext extendedKeyUsage | tail -1 | sed 's/^ */  usage: /'
echo "verified by openssl"

csr n1b /CN=node1.example.com DNS:node1.example.com
echo "the same token again: HTTP $(enroll n1b "$token")"
grep -o 'token: already used' n1b/answer.json

other=$($cf token create --name node2.example.com 2>/dev/null)
csr x1 /CN=node1.example.com DNS:node1.example.com
echo "a token for node2, CSR for node1: HTTP $(enroll x1 "$other")"
grep -o 'not granted for DNS:node1.example.com (it grants DNS:node2.example.com)' x1/answer.json
csr x2 /CN=node2.example.com DNS:node2.example.com,DNS:evil.example.com
echo "the node2 token, CSR adding a name: HTTP $(enroll x2 "$other")"
grep -o 'not granted for DNS:evil.example.com' x2/answer.json
$cf token create --name node3.example.com --ttl 1s --json > short.json 2>/dev/null
short=$(field short.json token)
expires=$(date -d "$(field short.json expires_at)" +%s)
csr x3 /CN=node3.example.com DNS:node3.example.com
for _ in $(seq 1 40); do   # bounded wait for the state "the token's expiry has passed"
  (( $(date +%s) > expires )) && break
  sleep 0.1
done
echo "an expired token: HTTP $(enroll x3 "$short")"
grep -o 'token: expired at' x3/answer.json
echo "an unknown token: HTTP $(enroll x3 cft_not-a-token)"
grep -o 'token: unknown' x3/answer.json
# A CSR whose signature does not verify: the subject changed after signing (openssl signs, python edits).
csr x4 /CN=node2.example.com DNS:node2.example.com
$py - x4/csr.pem <<'PY'
import sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
path = sys.argv[1]
der = bytearray(x509.load_pem_x509_csr(open(path, "rb").read()).public_bytes(serialization.Encoding.DER))
i = der.find(b"node2")
der[i:i + 5] = b"nodeX"
import base64, textwrap
body = "\n".join(textwrap.wrap(base64.b64encode(bytes(der)).decode(), 64))
open(path, "w").write("-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n")
PY
echo "a CSR whose signature does not verify: HTTP $(enroll x4 "$other")"
grep -o 'the signature does not verify' x4/answer.json
echo "malformed JSON: HTTP $(curl -sS -o x5.json -w '%{http_code}' --cacert root.pem --data-binary '{"token":' "$url/v1/enroll")"
[[ $(count) == $((before + 1)) ]] || fail "a refused enrollment issued a certificate"
echo "refusals issued nothing"

# certfleet enroll: --token-file, trusting the root by file; then by fingerprint with a new token.
$cf token create --name node2.example.com > node2.token 2>/dev/null
mkdir node2
$cf enroll --server "$url" --ca-file root.pem --token-file node2.token --new-key ec:p256 --key node2/key.pem \
  --subject CN=node2.example.com --san DNS:node2.example.com --out node2/cert.pem --chain-out node2/chain.pem \
  >enroll.out 2>enroll.err || { cat enroll.err; fail "certfleet enroll --token-file"; }
echo "certfleet enroll --token-file: exit 0"
openssl verify -CAfile root.pem -untrusted node2/chain.pem node2/cert.pem >/dev/null || fail "openssl verify node2"
stat -c 'key mode %a' node2/key.pem
openssl x509 -in node2/cert.pem -noout -pubkey > a.pub; openssl pkey -in node2/key.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "node2's certificate is not for its key"
fingerprint=$(openssl x509 -in root.pem -outform DER | sha256sum | cut -d' ' -f1)
t3=$($cf token create --name node3.example.com 2>/dev/null)
set +e
$cf enroll --server "$url" --ca-fingerprint "$(tr 0-9a-f 1-9a-f0 <<<"$fingerprint")" --token "$t3" --new-key ec:p256 \
  --subject CN=node3.example.com --out node3.pem 2>wrongpin.err
echo "certfleet enroll with a wrong --ca-fingerprint: exit $?"
set -e
grep -o 'not --ca-fingerprint; not trusted' wrongpin.err
[[ ! -e node3.pem && ! -e node3.key ]] || fail "files written after a refused pin"
$cf enroll --server "$url" --ca-fingerprint "$fingerprint" --token "$t3" --new-key ec:p256 \
  --subject CN=node3.example.com --out node3.pem --json > node3.json
echo "certfleet enroll --ca-fingerprint: key $(field node3.json key)"
openssl verify -CAfile root.pem -untrusted node2/chain.pem node3.pem >/dev/null || fail "openssl verify node3"
set +e
$cf enroll --server "$url" --ca-file root.pem --token "$t3" --new-key ec:p256 --subject CN=node3.example.com \
  --out node3b.pem 2>reuse.err
echo "certfleet enroll with a used token: exit $?"
set -e
grep -o 'token: already used' reuse.err
[[ ! -e node3b.pem && ! -e node3b.key ]] || fail "files written after a refusal"

# The agent's first enrollment (issue 15): the tracked certificate's files do not exist, so the node's
# agent (certfleet-agent, no CA code) enrolls with its bootstrap token and deploys through the renewal's
# path (its own certificate files and a PEM target); the next pass finds it and monitors it.
$cf token create --name node4.example.com --san IP:127.0.0.4 > node4.token 2>/dev/null
mkdir node4 node4-out
printf 'certificate: {cert: node4/cert.pem, chain: node4/chain.pem, key: node4/key.pem}\ntargets: [{format: pem, path: node4-out}]\n' > node4.yaml
cat > agent.yaml <<YAML
server: $url
ca_file: root.pem
state_dir: agent-state
bootstrap: {token_file: node4.token}
certificates:
  - {name: node4, deploy: node4.yaml, subject: CN=node4.example.com, sans: ["DNS:node4.example.com", "IP:127.0.0.4"]}
YAML
node_agent=$(dirname "$cf")/certfleet-agent
$node_agent --config agent.yaml --once > agent1.txt || { cat agent1.txt; fail "agent first enrollment"; }
sed -E 's/serial [0-9a-f]+, deployed \([^)]*\); next renewal .*/serial S, deployed (ID); next renewal DATE/' agent1.txt
openssl verify -CAfile root.pem -untrusted node4/chain.pem node4/cert.pem >/dev/null || fail "openssl verify node4"
openssl x509 -in node4/cert.pem -noout -pubkey > a.pub; openssl pkey -in node4/key.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "node4's certificate is not for its key"
cmp -s node4/cert.pem node4-out/cert.pem || fail "the PEM target does not hold the enrolled certificate"
stat -c 'agent key mode %a' node4/key.pem
$node_agent --config agent.yaml --once | sed -E 's/serial [0-9a-f]+, renewal due .*/serial S, renewal due DATE/'
rm node4/cert.pem node4/key.pem
set +e
$node_agent --config agent.yaml --once > agent3.txt
echo "files gone again, the token spent: exit $?"
set -e
grep -o 'token: already used' agent3.txt

grep -qF "$token" server.log && fail "a token in the server log"
grep -qF "$t3" server.log && fail "a token in the server log"
grep -q 'PRIVATE KEY' server.log && fail "key in the log"
$cf cert list --json | $py -c 'import json,sys; print(sorted(c["requester"].split(":")[0] for c in json.load(sys.stdin) if c["requester"].startswith("token")))'
kill -TERM "$server_pid"; rc=0; wait "$server_pid" || rc=$?; echo "server stopped: exit $rc"
