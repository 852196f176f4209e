# Seed 000 end to end: we make keys and CSRs per host, the customer's CA (played by openssl) signs them,
# two correctly, one without serverAuth, one for a different key; `external import` reports exactly the
# bad ones, deploys the good ones, and keytool and haproxy accept what it wrote.
export OPENSSL_CONF=/dev/null
mkdir requests signed deploy
cat > hosts.yaml <<'YAML'
subject: "O=Customer,C=GR"
key_type: rsa:2048
hosts:
  - name: node1.example.com
    aliases: [node1]
  - name: node2.example.com
    aliases: [node2]
  - name: edge1.example.com
    aliases: [vip.example.com]
  - name: edge2.example.com
YAML
"$CERTFLEET" external csr --hosts hosts.yaml --out-dir requests > /dev/null
[[ $(stat -c %a requests/node1.example.com.key) == 600 ]] || { echo "key mode"; exit 1; }
echo "csr: $(ls requests | grep -c '\.csr$') CSRs, summary $(test -f requests/csr-summary.txt && echo present)"

# The customer's CA: a root and an issuing CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -subj "/O=Customer/CN=Customer Root" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout ica.key -subj "/O=Customer/CN=Customer Issuing CA" -out ica.csr 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ica.ext
openssl x509 -req -in ica.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 -extfile ica.ext -out ica.pem 2>/dev/null
cat ica.pem root.pem > customer-chain.pem

sign() {  # sign HOST CSR EKU
  local host=$1 csr=$2 eku=$3
  local sans
  sans=$(python3 -c 'import json,sys; h=[h for h in json.load(open("requests/csr-summary.json"))["hosts"] if h["name"]==sys.argv[1]][0]; print(",".join(h["subject_alt_names"]).replace("IP:","IP:"))' "$host")
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$eku" "$sans" > "$host.ext"
  openssl x509 -req -in "$csr" -CA ica.pem -CAkey ica.key -CAcreateserial -days 365 -extfile "$host.ext" \
    -out "signed/$host.cer" 2>/dev/null
}
sign node1.example.com requests/node1.example.com.csr serverAuth,clientAuth
sign node2.example.com requests/node2.example.com.csr serverAuth
sign edge1.example.com requests/edge1.example.com.csr clientAuth
# edge2: the customer signs a CSR made with another key (the seed's modulus check catches this).
openssl req -new -newkey rsa:2048 -nodes -keyout other.key -subj "/C=GR/O=Customer/CN=edge2.example.com" \
  -addext "subjectAltName=DNS:edge2.example.com" -out other.csr 2>/dev/null
sign edge2.example.com other.csr serverAuth

printf 'changeit\n' > storepass
set +e
"$CERTFLEET" external import --dir requests --signed signed --ca-chain customer-chain.pem \
  --target "haproxy:deploy/{name}.pem" --target "jks:deploy/{name}.jks" --password-file storepass > import.txt
rc=$?
set -e
echo "import exit status: $rc"
# The table: one row per host, failed checks named.
awk 'NR == 1 { for (i = 1; i <= NF; i++) column[i] = $i }
     NF >= 10 && $1 ~ /example/ { printf "%s", $1; for (i = 2; i <= NF; i++) if ($i == "FAIL") printf " %s=FAIL", column[i]; print " " $NF }' import.txt
grep -oE "^(edge1|edge2)\.example\.com: (eku|key):" import.txt | sort
# Exactly the good hosts were deployed.
ls deploy | sort
# The deployed results are accepted by their consumers.
for h in node1.example.com node2.example.com; do
  keytool -list -v -keystore "deploy/$h.jks" -storepass changeit > "$h.keytool" 2>&1
  grep -q "Alias name: $h" "$h.keytool" && grep -q "Entry type: PrivateKeyEntry" "$h.keytool" \
    && grep -q "Certificate chain length: 3" "$h.keytool" && echo "keytool: $h ok"
  cat > "$h.cfg" <<CFG
global
  log stdout format raw local0
defaults
  mode http
  timeout connect 1s
  timeout client 1s
  timeout server 1s
frontend fe
  bind 127.0.0.1:18444 ssl crt $PWD/deploy/$h.pem
CFG
  haproxy -c -f "$h.cfg" > /dev/null 2>&1 && echo "haproxy -c: $h ok"
  openssl verify -CAfile root.pem -untrusted ica.pem -purpose sslserver -verify_hostname "$h" "signed/$h.cer" > /dev/null \
    && echo "openssl verify: $h ok"
done
# JSON verdict agrees.
"$CERTFLEET" external import --dir requests --signed signed --ca-chain customer-chain.pem --json > import.json || true
python3 -c 'import json; v=json.load(open("import.json")); print("json failed hosts:", sorted(h["host"] for h in v["hosts"] if not h["passed"]))'
# A missing CA chain root is bad input, and nothing is written.
set +e
"$CERTFLEET" external import --dir requests --signed signed --ca-chain ica.pem --target "pem:deploy2" 2> err.txt > /dev/null
echo "chain without root: exit $?"
set -e
[[ ! -e deploy2 ]] && echo "nothing written"
