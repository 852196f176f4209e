#!/usr/bin/env bash
# Generates the chain-verification fixtures (one per finding code that make_data.sh does not already
# produce) with the real openssl CLI, under the CAs of make_data.sh, which must have run first.
# Usage: make_verify_data.sh OUT_DIR (the same OUT_DIR as make_data.sh).
#
#   pki/verify/sub_sub_ca.pem, sub_sub_leaf.pem   CA under the pathlen:0 intermediate, and a leaf under it
#   pki/verify/leaf_signed_leaf.pem               signed by server.key as if server.pem were a CA
#   pki/verify/nc_ca.pem, nc_leaf.pem             CA (under root) permitted only .example.org; leaf node1.example.com
#   pki/verify/policy_ca.pem, policy_leaf.pem     CA (under root) with requireExplicitPolicy:0; leaf without policies
#   pki/verify/critical_ext.pem                   leaf with an unknown critical extension (1.3.6.1.4.1.99999.1)
#   pki/verify/no_akid.pem                        leaf without authorityKeyIdentifier (fails -x509_strict)
#   pki/verify/rsa1024.pem, rsa1024.key           leaf with an RSA-1024 key (below security level 2)
#   pki/verify/sha1.pem                           leaf signed with SHA-1 (below security level 2)
#   pki/verify/bad_signature.pem                  server.pem with one bit of its signature flipped
#   pki/verify/self_signed.pem, self_signed.key   self-signed leaf for node1.example.com
#   pki/verify/soon.pem                           leaf valid 2020-01-01..2030-01-01 (for --min-remaining at 2029-12-01)
set -euo pipefail
out=${1:?usage: make_verify_data.sh OUT_DIR}
pki=$out/pki
mkdir -p "$pki/verify"
cd "$pki/verify"
umask 077
export OPENSSL_CONF=/dev/null

cat > verify.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial.txt
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
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ nc_ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;DNS:.example.org
[ policy_ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
policyConstraints = critical, requireExplicitPolicy:0
[ leaf_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:node1.example.com
authorityKeyIdentifier = keyid
[ critical_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
authorityKeyIdentifier = keyid
1.3.6.1.4.1.99999.1 = critical, DER:05:00
[ no_akid_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
authorityKeyIdentifier = none
[ self_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
subjectKeyIdentifier = hash
CNF
rm -rf issued index.txt* serial.txt*
mkdir -p issued
: > index.txt
echo 2000 > serial.txt

quiet() { "$@" >/dev/null 2>&1 || { echo "make_verify_data.sh: failed: $*" >&2; "$@"; exit 1; }; }

# sign NAME SUBJECT KEY ISSUER_CERT ISSUER_KEY EXT [START END [MD]]
sign() {
  local name=$1 subject=$2 key=$3 icert=$4 ikey=$5 ext=$6
  local start=${7:-20200101000000Z} end=${8:-20991231000000Z} md=${9:-sha256}
  quiet openssl req -new -key "$key" -subj "$subject" -out "$name.csr" -config verify.cnf
  quiet openssl ca -batch -config verify.cnf -cert "$icert" -keyfile "$ikey" -in "$name.csr" -out "$name.pem" \
    -extensions "$ext" -startdate "$start" -enddate "$end" -md "$md" -notext
  rm -f "$name.csr"
}

quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out self_signed.key

sign sub_sub_ca "/CN=certfleet Test Sub-Sub CA" ca.key ../intermediate.pem ../intermediate.key ca_ext
sign sub_sub_leaf "/CN=node1.example.com" leaf.key sub_sub_ca.pem ca.key leaf_ext
sign leaf_signed_leaf "/CN=node1.example.com" leaf.key ../server.pem ../server.key leaf_ext
sign nc_ca "/CN=certfleet Test Constrained CA" ca.key ../root.pem ../root.key nc_ca_ext
sign nc_leaf "/CN=node1.example.com" leaf.key nc_ca.pem ca.key leaf_ext
sign policy_ca "/CN=certfleet Test Policy CA" ca.key ../root.pem ../root.key policy_ca_ext
sign policy_leaf "/CN=node1.example.com" leaf.key policy_ca.pem ca.key leaf_ext
sign critical_ext "/CN=node1.example.com" leaf.key ../intermediate.pem ../intermediate.key critical_ext
sign no_akid "/CN=node1.example.com" leaf.key ../intermediate.pem ../intermediate.key no_akid_ext
sign rsa1024 "/CN=node1.example.com" rsa1024.key ../intermediate.pem ../intermediate.key leaf_ext
sign sha1 "/CN=node1.example.com" leaf.key ../intermediate.pem ../intermediate.key leaf_ext \
  20200101000000Z 20991231000000Z sha1
sign soon "/CN=node1.example.com" leaf.key ../intermediate.pem ../intermediate.key leaf_ext \
  20200101000000Z 20300101000000Z
quiet openssl req -new -x509 -key self_signed.key -subj "/CN=node1.example.com" -days 3650 \
  -config verify.cnf -extensions self_ext -out self_signed.pem

# Flip one bit in the last byte of the signature: the structure stays valid DER, the signature does not.
python3 - <<'PY'
import base64
lines = open("../server.pem").read().split("\n")
body = "".join(l for l in lines if l and not l.startswith("-----"))
der = bytearray(base64.b64decode(body))
der[-1] ^= 0x01
b64 = base64.b64encode(bytes(der)).decode()
with open("bad_signature.pem", "w") as f:
    f.write("-----BEGIN CERTIFICATE-----\n")
    f.write("\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)))
    f.write("\n-----END CERTIFICATE-----\n")
PY
rm -f index.txt.attr* index.txt.old serial.txt.old
chmod -R a+rX "$out"
