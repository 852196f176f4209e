# The papercuts a new user hit in the first hour (issue 19), each as the user met it, with real openssl,
# sha256sum and keytool doing the checking.
export OPENSSL_CONF=/dev/null
pki=$TESTDATA/pki
chain=$TESTDATA/chain
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
unset CERTFLEET_CA_PASSPHRASE

echo "== external csr --out-dir that does not exist: made, and said"
"$CERTFLEET" external csr --host node1.example.com,node1 --host node2.example.com --out-dir new/requests \
  > csr.out 2> csr.err
cat csr.err
[[ -f new/requests/node1.example.com.csr ]] || { echo "no CSR written"; exit 1; }
echo "== csr-summary.txt: the file SHA-256 is what sha256sum prints; the DER one is labelled"
head -1 new/requests/csr-summary.txt | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
for host in node1.example.com node2.example.com; do
  file_sum=$(sha256sum "new/requests/$host.csr" | cut -d' ' -f1)
  der_sum=$(openssl req -in "new/requests/$host.csr" -outform DER | sha256sum | cut -d' ' -f1)
  row=$(grep "^$host " new/requests/csr-summary.txt)
  [[ $(awk '{ print $2 }' <<<"$row") == "$file_sum" ]] || { echo "$host: file SHA-256 is not sha256sum's"; exit 1; }
  [[ $(awk '{ print $3 }' <<<"$row") == "$der_sum" ]] || { echo "$host: DER SHA-256 differs"; exit 1; }
done
echo "summary: sha256sum and DER digests match"
"$CERTFLEET" csr create --new-key ec:p256 --subject CN=app.example.com --out app.csr > create.out
[[ $(grep '^CSR file SHA-256' create.out | awk '{ print $NF }') == $(sha256sum app.csr | cut -d' ' -f1) ]] \
  || { echo "csr create: file SHA-256 is not sha256sum's"; cat create.out; exit 1; }
grep -o '^CSR file SHA-256 (sha256sum app.csr):\|^CSR DER SHA-256:' create.out

echo "== external import: a README.txt among the signed files is skipped and named"
mkdir signed
cat "$pki/intermediate.pem" "$pki/root.pem" > customer-chain.pem
sign() {  # sign HOST SANS [OPENSSL_ARGS...]: the customer CA (openssl) signs HOST's CSR, serverAuth only
  local host=$1 sans=$2
  shift 2
  printf 'extendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$sans" > ext.cnf
  openssl x509 -req -in "new/requests/$host.csr" -CA "$pki/intermediate.pem" -CAkey "$pki/intermediate.key" \
    -set_serial "0x$RANDOM$RANDOM" -days 400 -extfile ext.cnf "$@" -out "signed/$host.pem" 2> /dev/null
}
sign node1.example.com DNS:node1.example.com,DNS:node1
sign node2.example.com DNS:node2.example.com
printf 'Order 4711: your certificates are attached.\n' > signed/README.txt
set +e
"$CERTFLEET" external import --dir new/requests --signed signed --ca-chain customer-chain.pem > import.out 2>&1
echo "exit $?"
set -e
grep '^skipped' import.out
grep -E '^node' import.out | awk '{ print $1, $NF }'
echo "== a damaged certificate file still stops the import"
head -c 200 signed/node1.example.com.pem > signed/cut.pem
set +e
"$CERTFLEET" external import --dir new/requests --signed signed --ca-chain customer-chain.pem > /dev/null 2> err.txt
echo "exit $? $(grep -o 'cut.pem' err.txt | head -1)"
set -e
rm signed/cut.pem

echo "== the customer CA rewrote the subject (added O=, OU=): refused, then --subject-match cn"
sign node2.example.com DNS:node2.example.com -subj "/C=GR/O=Customer/OU=Hosting/CN=node2.example.com"
set +e
"$CERTFLEET" external import --dir new/requests --signed signed --ca-chain customer-chain.pem > import.out 2>&1
echo "exact: exit $? $(grep -q '^node2.example.com: subject:' import.out && echo 'node2: subject check failed')"
"$CERTFLEET" external import --dir new/requests --signed signed --ca-chain customer-chain.pem \
  --subject-match cn > import.out 2>&1
echo "cn: exit $?"
echo "== --require-eku serverAuth,clientAuth: a serverAuth-only certificate fails the eku check"
"$CERTFLEET" external import --dir new/requests --signed signed --ca-chain customer-chain.pem \
  --subject-match cn --require-eku serverAuth,clientAuth > import.out 2>&1
echo "exit $?"
grep -E '^node[12].example.com: eku' import.out
set -e

echo "== bundle --format puppet-ssl-dir --out into a directory that does not exist"
cat "$pki/chain.pem" "$pki/root.pem" > issuers.pem
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain issuers.pem \
  --format puppet-ssl-dir --name node1.example.com --out puppet/ssl | grep '^created'
stat -c '%a %n' puppet/ssl
openssl verify -CAfile puppet/ssl/certs/ca.pem -untrusted "$pki/chain.pem" puppet/ssl/certs/node1.example.com.pem

echo "== bundle --format pem from a root-issued certificate: no empty chain.pem, and why"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj "/CN=Lone Root" \
  -days 30 -out ca.pem 2> /dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -subj "/CN=leaf.example.com" \
  -out leaf.csr 2> /dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 30 -out leaf.pem 2> /dev/null
mkdir pemset
"$CERTFLEET" bundle --cert leaf.pem --key leaf.key --chain ca.pem --format pem --out pemset | grep -v '^wrote'
ls pemset | tr '\n' ' ' | sed 's/ $/\n/'

echo "== chain files (seed 004): chain.crt in issuer order, as TLS sends it; --order root-first on request"
full=(--root "$chain/root.pem" --intermediate "$chain/sub1.pem" --intermediate "$chain/sub2.pem")
mkdir apache apache-rf
export CERTFLEET_CA_PASSPHRASE="papercut passphrase"
"$CERTFLEET" chain upload --name cpvm --domain-suffix cloud.example.com "${full[@]}" --cert "$chain/server.pem" \
  --key "$chain/server.key" --out-dir apache > /dev/null
subjects() { openssl crl2pkcs7 -nocrl -certfile "$1" | openssl pkcs7 -print_certs -noout | grep '^subject' | sed 's/.*CN = //' | tr '\n' ',' | sed 's/,$/\n/'; }
echo "chain.crt: $(subjects apache/chain.crt)"
"$CERTFLEET" chain upload --name cpvm2 --domain-suffix cloud.example.com "${full[@]}" --cert "$chain/server.pem" \
  --key "$chain/server.key" --out-dir apache-rf --order root-first > /dev/null
echo "chain.crt --order root-first: $(subjects apache-rf/chain.crt)"
unset CERTFLEET_CA_PASSPHRASE

echo "== probe flags a chain served out of order (openssl s_server serving each chain.crt as written)"
trap 'if [[ -f servers.pid ]]; then kill $(cat servers.pid) 2>/dev/null || true; fi' EXIT
serve() {  # serve DIR: s_server with DIR's Apache files on a free port; prints the port
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  openssl s_server -accept "127.0.0.1:$port" -cert "$1/server.crt" -key "$1/server.key" -cert_chain "$1/chain.crt" \
    -www -quiet > /dev/null 2>&1 &
  echo $! >> servers.pid
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "$port"
}
for dir in apache apache-rf; do
  port=$(serve "$dir")
  set +e
  "$CERTFLEET" probe --trust "$chain/root.pem" --sni cpvm.cloud.example.com --json "127.0.0.1:$port" > probe.json
  rc=$?
  set -e
  echo "$dir: exit $rc $(python3 -c 'import json; r=json.load(open("probe.json"))[0]; print("verified" if r["verified"] else "not verified", sorted({f["code"] for f in r["findings"]}))')"
done

echo "== chain check --url-encode: the key too (the API takes it), decoding to the key"
"$CERTFLEET" chain check "${full[@]}" --cert "$chain/server.pem" --key "$chain/server.key" --url-encode > encoded.txt
grep -v '^OK' encoded.txt | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $/\n/'
python3 -c 'import sys, urllib.parse; sys.stdout.write(urllib.parse.unquote(sys.argv[1]))' \
  "$(grep '^key ' encoded.txt | cut -d' ' -f2)" > decoded.key
[[ $(openssl pkey -in decoded.key -pubout) == $(openssl pkey -in "$chain/server.key" -pubout) ]] \
  || { echo "the URL-encoded key is not the server key"; exit 1; }
head -1 decoded.key

echo "== hints name the option the command takes"
openssl pkcs8 -topk8 -in "$chain/server.key" -v2 aes-256-cbc -passout pass:secret-secret -out enc.key
set +e
"$CERTFLEET" chain check "${full[@]}" --cert "$chain/server.pem" --key enc.key 2> err.txt; echo "chain check, encrypted key: exit $?"
set -e
grep -o 'encrypted; CloudStack takes it unencrypted' err.txt
grep -q -- '--passphrase-file' err.txt && { echo "chain check names --passphrase-file"; exit 1; }
printf 'store passphrase 12\n' > pw
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout corp.key -passout pass:corp-key-pass \
  -subj "/CN=Corp CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -days 30 -out corp.pem 2> /dev/null
set +e
"$CERTFLEET" ca import --name corp --cert corp.pem --key corp.key --passphrase-file pw 2> err.txt; echo "ca import, no key passphrase: exit $?"
set -e
grep -o 'give its passphrase with --key-passphrase-file' err.txt
echo "== inspect: a space after every label"
"$CERTFLEET" inspect "$pki/bundle_with_key.pem" | grep -E '^  (matches certificate|matching key):' | sed -E 's/:( +).*/:\1.../'

echo "== a CA passphrase of 2 characters"
printf 'ab\n' > weak
set +e
"$CERTFLEET" ca init --store "sqlite://$PWD/weak.db" --name weak --subject "CN=Weak Root" --passphrase-file weak 2> err.txt; echo "exit $? $(cat err.txt)"
set -e
"$CERTFLEET" ca init --store "sqlite://$PWD/weak.db" --name weak --subject "CN=Weak Root" --passphrase-file weak --allow-weak-passphrase | head -1
