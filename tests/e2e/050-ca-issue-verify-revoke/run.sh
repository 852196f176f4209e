# ca init / cert issue / cert sign / revoke / crl against openssl: verify, CRL text, encrypted key at rest.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
cf=$CERTFLEET
printf 'e2e passphrase\n' > pw
printf 'wrong\n' > bad
cat > policy.yaml <<'YAML'
allowed_domains: [example.com, "*.example.com"]
allowed_ip_ranges: [10.0.0.0/8]
max_validity: 400d
YAML
$cf ca init --name main --subject "CN=E2E Root,O=certfleet" --intermediate --policy policy.yaml --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
echo "ca init: ok"

# seed 000: one certificate per node with its aliases
for n in node1 node2 node3; do
  $cf cert issue --subject "CN=$n.example.com" --san "DNS:$n.internal.example.com,IP:10.0.0.1" --out-dir "$n" --passphrase-file pw 2>/dev/null
  openssl verify -CAfile root.pem -untrusted "$n/chain.pem" -purpose sslserver -verify_hostname "$n.example.com" "$n/cert.pem" >/dev/null
  [[ $(stat -c %a "$n/key.pem") == 600 ]] || { echo "$n/key.pem is not 0600"; exit 1; }
  openssl x509 -in "$n/cert.pem" -noout -text | grep -q "TLS Web Server Authentication" || { echo "no serverAuth"; exit 1; }
  echo "$n: verified by openssl"
done

# seed 002: a CSR with CN + wildcard SAN, 365 days
openssl req -new -newkey rsa:2048 -nodes -keyout app.key -subj "/CN=app.example.com" \
  -addext "subjectAltName=DNS:*.app.example.com" -out app.csr 2>/dev/null
$cf cert sign --csr app.csr --profile server --validity 365d --out-dir app --passphrase-file pw 2>/dev/null
openssl verify -CAfile root.pem -untrusted app/chain.pem -purpose sslserver -verify_hostname x.app.example.com app/cert.pem >/dev/null
days=$(( ($(date -d "$(openssl x509 -in app/cert.pem -noout -enddate | cut -d= -f2)" +%s) - $(date +%s)) / 86400 ))
[[ $days -ge 364 && $days -le 365 ]] || { echo "validity $days days"; exit 1; }
echo "app: CN + wildcard SAN, 365 days, verified by openssl"

# policy refusals name the rule; nothing recorded
set +e
$cf cert issue --subject CN=evil.org --out-dir evil --passphrase-file pw 2>err.txt; echo "evil.org: exit $?"
grep -o "name_not_allowed: DNS:evil.org" err.txt
$cf cert issue --subject CN=a.example.com --validity 800d --out-dir long --passphrase-file pw 2>err.txt; echo "800d: exit $?"
grep -o "validity_too_long" err.txt
$cf cert issue --subject CN=x.example.com --out-dir x --passphrase-file bad 2>/dev/null; echo "wrong passphrase: exit $?"
set -e
[[ $($cf cert list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 4 ]] || { echo "list count"; exit 1; }

# revoke and publish
serial=$(openssl x509 -in node2/cert.pem -noout -serial | cut -d= -f2)
$cf cert revoke "$(tr A-F a-f <<<"$serial")" --reason keyCompromise >/dev/null
$cf cert list --revoked --name 'node2*' | awk '{print $2, $NF}'
$cf crl generate --out crl.pem --passphrase-file pw 2>/dev/null
openssl crl -in crl.pem -noout -text > crl.txt
grep -q "Serial Number: $serial" crl.txt || { echo "revoked serial not in the CRL"; exit 1; }
grep -A1 "CRL Number" crl.txt | tail -1 | tr -d ' '
cat node2/chain.pem root.pem > all.pem
set +e
openssl verify -crl_check -CAfile all.pem -CRLfile crl.pem node2/cert.pem >/dev/null 2>&1; echo "node2 with CRL check: exit $?"
set -e
$cf crl status | sed 's/ this update.*//'

# the CA key at rest is standard encrypted PKCS#8
python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select encrypted_key_pem from issuers where state = ?", ("active",)).fetchone()[0], end="")' certfleet.db > ca.key
head -1 ca.key
openssl pkey -in ca.key -passin file:pw -noout && echo "openssl pkey: opened with the passphrase"
if openssl pkey -in ca.key -passin file:bad -noout 2>/dev/null; then echo "opened with a wrong passphrase"; exit 1; fi
echo "openssl pkey: refused the wrong passphrase"
$cf ca export-root-key --out root.key --remove --passphrase-file pw | tail -1
openssl pkey -in root.key -passin file:pw -noout && echo "root key exported"
$cf ca show | tail -1
$cf ca audit --json | python3 -c 'import json,sys; print(sorted({e["action"] + " " + e["outcome"].split(":")[0] for e in json.load(sys.stdin)}))'
