# cert renew (seed 001's local renew): a new serial with the same subject, names and profile from the
# same authority, linked to the old one in `cert show`; --reuse-key keeps the key; --deploy writes the
# spec's source files and its targets in one deployment (a real HAProxy reloads and serves the new
# serial); --revoke-old revokes the old one once replaced (openssl reads it on the CRL); refusals
# issue nothing.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
cf=$CERTFLEET
source "$SCENARIO/../deploy_fixtures.sh"
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=E2E Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
$cf cert issue --subject "CN=node1.example.com,O=Ops" --san "DNS:node1.internal.example.com,IP:10.0.0.7" \
  --key-type rsa:2048 --out-dir old --passphrase-file pw 2>/dev/null
# (deploy_fixtures's serial_of strips leading zeros, as served_serial does; arguments keep them)
serial_arg() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
names_of() { openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | tr -d ' '; }
pubkey_of() { openssl x509 -in "$1" -noout -pubkey | sha256sum | cut -c1-16; }
old=$(serial_of old/cert.pem)
count() { $cf cert list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

# A new key of the old key's type, the same subject and names.
$cf cert renew "$(serial_arg old/cert.pem)" --out-dir new --passphrase-file pw 2>/dev/null
new=$(serial_of new/cert.pem)
[[ $new != "$old" ]] || fail "same serial"
[[ $(openssl x509 -in new/cert.pem -noout -subject) == "$(openssl x509 -in old/cert.pem -noout -subject)" ]] || fail "subject"
echo "names: $(names_of new/cert.pem)"
[[ $(names_of new/cert.pem) == "$(names_of old/cert.pem)" ]] || fail "names differ"
openssl x509 -in new/cert.pem -noout -text | grep -q "Public-Key: (2048 bit)" || fail "not RSA 2048 like the old key"
[[ $(pubkey_of new/cert.pem) != "$(pubkey_of old/cert.pem)" ]] || fail "the key was reused"
[[ $(stat -c %a new/key.pem) == 600 ]] || fail "key.pem mode"
openssl verify -CAfile root.pem -untrusted new/chain.pem -purpose sslserver new/cert.pem >/dev/null
echo "renewed: new serial, same subject and names, new RSA 2048 key, verified by openssl"
$cf cert show "$(serial_arg new/cert.pem)" | python3 -c "import json,sys; d=json.load(sys.stdin); print('cert show: renews', 'the old serial' if d['renews'].lstrip('0') == '$old' else d['renews'], '| profile', d['profile'])"
$cf cert show "$(serial_arg old/cert.pem)" | python3 -c "import json,sys; print('old:', json.load(sys.stdin)['status'])"

# --reuse-key keeps the key; the file form (--cert) finds the serial.
$cf cert renew --cert new/cert.pem --reuse-key --key new/key.pem --out-dir again --passphrase-file pw 2>/dev/null
[[ $(pubkey_of again/cert.pem) == "$(pubkey_of new/cert.pem)" ]] || fail "--reuse-key changed the key"
[[ ! -e again/key.pem ]] || fail "--reuse-key wrote a key"
echo "--reuse-key: same public key, no key.pem written"
set +e
$cf cert renew "$(serial_arg new/cert.pem)" --reuse-key --key old/key.pem --out-dir x --passphrase-file pw 2>err.txt; echo "reuse with another key: exit $?"
grep -o "is not the key of certificate" err.txt
before=$(count)
$cf cert renew "$(serial_arg new/cert.pem)" --out-dir again --passphrase-file pw 2>err.txt; echo "existing output: exit $?"
grep -o "already exists (nothing was issued" err.txt
$cf cert renew 0badc0de --out-dir y --passphrase-file pw 2>err.txt; echo "unknown serial: exit $?"
set -e
[[ $(count) == "$before" ]] || fail "a refused renewal issued a certificate"
echo "refusals issued nothing"

# --deploy: HAProxy serving the certificate from a crt dir, reloaded by the spec's hook.
mkdir certs live
cp new/cert.pem live/cert.pem; cp new/chain.pem live/chain.pem; cp new/key.pem live/key.pem
cat live/cert.pem live/chain.pem live/key.pem > certs/node1.pem
port=$(free_port)
start_haproxy "$PWD/certs" "$port"
trap 'kill "$hp" 2>/dev/null || true; wait "$hp" 2>/dev/null || true' EXIT
served() { served_serial "$port"; }
[[ $(served) == "$new" ]] || fail "haproxy does not serve $new"
cat > spec.yaml <<YAML
certificate:
  cert: live/cert.pem
  chain: live/chain.pem
  key: live/key.pem
targets:
  - format: haproxy
    path: certs/node1.pem
on_change:
  - command: [kill, -USR2, "$hp"]
health_checks:
  - tls: 127.0.0.1:$port
    sni: node1.example.com
    retries: 30
    interval: 1s
YAML
$cf cert renew "$(serial_arg new/cert.pem)" --deploy spec.yaml --revoke-old --json --passphrase-file pw > renew.json 2>/dev/null
py() { python3 -c "import json; d=json.load(open('renew.json')); print($1)"; }
third=$(serial_of live/cert.pem)
echo "deploy: $(py 'd["outcome"]'), renewal key: $(py 'd["renewal"]["key"]'), old revoked: $(py 'd["renewal"]["old_revoked"]')"
[[ $(py 'd["renewal"]["serial"].lstrip("0")') == "$third" ]] || fail "the source file does not hold the renewed certificate"
[[ $(served) == "$third" ]] || fail "haproxy does not serve the renewed serial"
openssl x509 -in live/cert.pem -noout -pubkey > a.pub; openssl pkey -in live/key.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "live/key.pem does not match live/cert.pem"
echo "haproxy serves the renewed serial; the spec's source holds the new certificate and key"
ls -A certs
$cf crl generate --passphrase-file pw --out crl.pem >/dev/null 2>&1 || true
$cf cert show "$(serial_arg new/cert.pem)" | python3 -c "import json,sys; d=json.load(sys.stdin); print('old after --revoke-old:', d['status'], d['revocation_reason'])"
# A renewal of a revoked certificate is refused (issue a new one).
set +e
$cf cert renew "$(serial_arg new/cert.pem)" --out-dir z --passphrase-file pw 2>err.txt; echo "renew revoked: exit $?"
grep -o "is revoked (superseded)" err.txt
# A spec that reads an artifact cannot take the renewed files: refused before signing.
before=$(count)
printf 'certificate:\n  from: bundle.p12\n  password_file: pw\ntargets:\n  - format: pem\n    path: out\n' > from.yaml
$cf cert renew "$(serial_arg live/cert.pem)" --deploy from.yaml --passphrase-file pw 2>err.txt; echo "spec reading an artifact: exit $?"
grep -o "writes the renewed certificate into certificate.cert and certificate.key" err.txt
set -e
[[ $(count) == "$before" ]] || fail "a refused renewal issued a certificate"
