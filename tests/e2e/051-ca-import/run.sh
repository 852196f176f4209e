# ca import (seed 002): an existing CA made by openssl whose key was kept elsewhere, encrypted.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
cf=$CERTFLEET
printf 'store passphrase\n' > pw
printf 'old key passphrase\n' > oldpw
openssl req -x509 -newkey rsa:2048 -keyout ca.key -passout file:oldpw -subj "/O=Corp/CN=Corp CA" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout leaf.key -subj "/CN=leaf.example.com" -days 30 \
  -addext "basicConstraints=critical,CA:FALSE" -out leaf.pem 2>/dev/null

set +e
$cf ca import --name corp --cert leaf.pem --key leaf.key --passphrase-file pw 2>err.txt; echo "leaf as CA: exit $?"
grep -o "is not a CA certificate" err.txt
$cf ca import --name corp --cert ca.pem --key leaf.key --passphrase-file pw 2>err.txt; echo "wrong key: exit $?"
grep -o "does not match the certificate" err.txt
$cf ca import --name corp --cert ca.pem --key ca.key --passphrase-file pw 2>err.txt; echo "no key passphrase: exit $?"
$cf ca import --name corp --cert ca.pem --key ca.key --key-passphrase-file pw --passphrase-file pw 2>err.txt; echo "wrong key passphrase: exit $?"
set -e
$cf ca import --name corp --cert ca.pem --key ca.key --key-passphrase-file oldpw --passphrase-file pw | head -1

openssl req -new -newkey rsa:2048 -nodes -keyout web.key -subj "/CN=web.corp.example" \
  -addext "subjectAltName=DNS:*.web.corp.example" -out web.csr 2>/dev/null
$cf cert sign --csr web.csr --validity 365d --out-dir web --passphrase-file pw 2>/dev/null
openssl verify -CAfile ca.pem -purpose sslserver -verify_hostname api.web.corp.example web/cert.pem
openssl x509 -in web/cert.pem -noout -issuer -nameopt RFC2253
