#!/usr/bin/env bash
# Generates the PKI test fixtures with the real openssl CLI (third-party test data, STYLE.md section 8).
# Usage: make_data.sh OUT_DIR. Deterministic in shape (names, dates, extensions), not in key bytes.
#
#   pki/root.pem, root.key                    RSA-2048 root CA "CN=certfleet Test Root"
#   pki/intermediate.pem, intermediate.key    EC P-256 intermediate "CN=certfleet Test Sub CA" (pathlen 0)
#   pki/chain.pem                             intermediate only (what servers send after the leaf)
#   pki/server.pem, server.key                node1.example.com, SANs node1, *.apps.example.com, 10.0.0.1,
#                                             serverAuth+clientAuth, valid 2020-01-01..2099-12-31
#   pki/expired.pem                           same key, valid 2020-01-01..2021-01-01
#   pki/not_yet_valid.pem                     same key, valid 2090-01-01..2099-01-01
#   pki/client_only.pem                       clientAuth only (wrong EKU for a server)
#   pki/other.key                             a key that matches nothing
#   pki/ed25519.pem, ed25519.key              Ed25519 leaf
#   pki/rsa4096.key                           RSA-4096 key
#   pki/server.csr                            CSR for node1 with its SANs
#   pki/fullchain.pem                         server + intermediate
#   pki/bundle_with_key.pem                   server + intermediate + key (HAProxy style)
#   pki/text_and_pem.pem                      `openssl x509 -text` output (text before the PEM)
#   pki/crlf.pem                              server.pem with CRLF line ends and no final newline
#   pki/url_encoded.txt / url_encoded_plus.txt  URL-encoded PEM (urllib quote / quote_plus)
#   pki/trusted.pem                           -----BEGIN TRUSTED CERTIFICATE----- form of root
#   pki/server.der, truncated.der             DER, and DER cut in half
#   pki/bad_base64.pem                        base64 damaged on line 5
#   pki/no_end.pem                            END line missing
#   pki/key.enc.pem, passphrase.txt           encrypted PKCS#8 key and its passphrase
#   pki/server.p12, server_legacy.p12, p12pass.txt   PKCS#12 (AES/PBKDF2 and -legacy 3DES)
#   pki/intermediate.crl                      CRL from the intermediate revoking revoked.pem
#   pki/revoked.pem                           a leaf revoked in intermediate.crl (CRL number 1)
#   pki/rsa_traditional.key, ec_traditional.key  "BEGIN RSA/EC PRIVATE KEY" (openssl genrsa -traditional)
#   pki/p384.key, server.key.der              EC P-384 key; server.key as PKCS#8 DER
#   pki/rsa_pss.pem                           self-signed RSA-PSS certificate "CN=pss.example.com"
#   pki/mismatched_end.pem                    BEGIN CERTIFICATE closed by END X509 CRL
#   pki/empty.pem                             a 0-length file
set -euo pipefail
out=${1:?usage: make_data.sh OUT_DIR}
mkdir -p "$out/pki"
cd "$out/pki"
umask 077
export OPENSSL_CONF=/dev/null

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial.txt
crlnumber = crlnumber.txt
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
[ dn ]
[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ sub_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:node1.example.com, DNS:node1, DNS:*.apps.example.com, IP:10.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:node1.example.com
authorityKeyIdentifier = keyid
[ ed_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:ed.example.com
authorityKeyIdentifier = keyid
CNF
rm -rf issued index.txt* serial.txt*
mkdir -p issued
: > index.txt
echo 1000 > serial.txt
echo 01 > crlnumber.txt

quiet() { "$@" >/dev/null 2>&1 || { echo "make_data.sh: failed: $*" >&2; "$@"; exit 1; }; }

# sign NAME SUBJECT KEY ISSUER_CERT ISSUER_KEY EXT START END
sign() {
  local name=$1 subject=$2 key=$3 icert=$4 ikey=$5 ext=$6 start=$7 end=$8
  quiet openssl req -new -key "$key" -subj "$subject" -out "$name.csr" -config ca.cnf
  local selfsign=()
  [[ $icert == self ]] && selfsign=(-selfsign) && icert=$key
  if [[ ${#selfsign[@]} -gt 0 ]]; then
    quiet openssl ca -batch -config ca.cnf -selfsign -keyfile "$ikey" -in "$name.csr" -out "$name.pem" \
      -extensions "$ext" -startdate "$start" -enddate "$end" -notext
  else
    quiet openssl ca -batch -config ca.cnf -cert "$icert" -keyfile "$ikey" -in "$name.csr" -out "$name.pem" \
      -extensions "$ext" -startdate "$start" -enddate "$end" -notext
  fi
}

quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out intermediate.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out revoked.key
quiet openssl genpkey -algorithm ED25519 -out ed25519.key
quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out rsa4096.key

sign root "/O=certfleet tests/CN=certfleet Test Root" root.key self root.key root_ext 20200101000000Z 20991231000000Z
sign intermediate "/O=certfleet tests/CN=certfleet Test Sub CA" intermediate.key root.pem root.key sub_ext \
  20200101000000Z 20991231000000Z
sign server "/O=certfleet tests/CN=node1.example.com" server.key intermediate.pem intermediate.key server_ext \
  20200101000000Z 20991231000000Z
sign expired "/O=certfleet tests/CN=node1.example.com" server.key intermediate.pem intermediate.key server_ext \
  20200101000000Z 20210101000000Z
sign not_yet_valid "/O=certfleet tests/CN=node1.example.com" server.key intermediate.pem intermediate.key \
  server_ext 20900101000000Z 20990101000000Z
sign client_only "/O=certfleet tests/CN=node1.example.com" server.key intermediate.pem intermediate.key \
  client_ext 20200101000000Z 20991231000000Z
sign ed25519 "/CN=ed.example.com" ed25519.key intermediate.pem intermediate.key ed_ext \
  20200101000000Z 20991231000000Z
sign revoked "/CN=revoked.example.com" revoked.key intermediate.pem intermediate.key server_ext \
  20200101000000Z 20991231000000Z
# RFC 5280 4.1.2.5: 99991231235959Z means "no well-defined expiration date".
sign no_expiry "/CN=forever.example.com" server.key intermediate.pem intermediate.key server_ext \
  20200101000000Z 99991231235959Z
quiet openssl ca -batch -config ca.cnf -cert intermediate.pem -keyfile intermediate.key -revoke revoked.pem \
  -crl_reason keyCompromise
quiet openssl ca -batch -config ca.cnf -cert intermediate.pem -keyfile intermediate.key -gencrl -crldays 30 \
  -out intermediate.crl

cp intermediate.pem chain.pem
cat server.pem intermediate.pem > fullchain.pem
cat server.pem intermediate.pem server.key > bundle_with_key.pem
quiet openssl req -new -key server.key -subj "/O=certfleet tests/CN=node1.example.com" \
  -addext "subjectAltName=DNS:node1.example.com,DNS:node1,IP:10.0.0.1" -out server.csr
openssl x509 -in server.pem -text > text_and_pem.pem
sed 's/$/\r/' server.pem | head -c -2 > crlf.pem
python3 -c 'import sys, urllib.parse; sys.stdout.write(urllib.parse.quote(open("server.pem").read(), safe=""))' \
  > url_encoded.txt
python3 -c 'import sys, urllib.parse; sys.stdout.write(urllib.parse.quote_plus(open("server.pem").read()))' \
  > url_encoded_plus.txt
openssl x509 -in root.pem -addtrust serverAuth -out trusted.pem
openssl x509 -in server.pem -outform DER -out server.der
head -c 200 server.der > truncated.der
awk 'NR==5 { $0 = substr($0, 1, 10) "!!!!" substr($0, 15) } { print }' server.pem > bad_base64.pem
grep -v 'END CERTIFICATE' server.pem > no_end.pem
printf 'correct horse battery staple\n' > passphrase.txt
quiet openssl pkcs8 -topk8 -in server.key -v2 aes-256-cbc -passout file:passphrase.txt -out key.enc.pem
printf 'changeit\n' > p12pass.txt
quiet openssl pkcs12 -export -in server.pem -inkey server.key -certfile chain.pem -name node1 \
  -passout file:p12pass.txt -out server.p12
quiet openssl pkcs12 -export -legacy -in server.pem -inkey server.key -certfile chain.pem -name node1 \
  -passout file:p12pass.txt -out server_legacy.p12
quiet openssl genrsa -traditional -out rsa_traditional.key 2048
quiet openssl ecparam -name prime256v1 -genkey -noout -out ec_traditional.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key
quiet openssl pkey -in server.key -outform DER -out server.key.der
quiet openssl req -x509 -newkey rsa-pss -pkeyopt rsa_keygen_bits:2048 -keyout rsa_pss.key -noenc \
  -subj "/CN=pss.example.com" -days 3650 -out rsa_pss.pem
sed 's/END CERTIFICATE/END X509 CRL/' server.pem > mismatched_end.pem
: > empty.pem
rm -f ./*.csr.tmp crlnumber.txt.old index.txt.attr* index.txt.old serial.txt.old
chmod -R a+rX "$out"
