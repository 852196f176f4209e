#!/usr/bin/env bash
# Generates the custom-chain fixtures (seed 004, CloudStack's custom certificate upload) with the real
# openssl CLI: a root, two intermediates below it and a wildcard server certificate below those.
# Usage: make_chain_data.sh OUT_DIR
#
#   chain/root.pem, root.key        self-signed root "CN=certfleet Chain Root"
#   chain/sub1.pem                  "CN=certfleet Chain Sub CA 1", signed by the root (pathlen 1)
#   chain/sub2.pem                  "CN=certfleet Chain Sub CA 2", signed by sub1 (pathlen 0)
#   chain/sub2_rekeyed.pem          "CN=certfleet Chain Sub CA 2" again, signed by sub1 but with another key
#   chain/server.pem, server.key    "CN=*.cloud.example.com" (SAN the same), serverAuth, signed by sub2
#   chain/server2.pem, server2.key  the same names with a new key: the certificate of a redo
#   chain/other.key                 a key that matches no certificate
#   chain/self_signed.pem, .key     self-signed "CN=*.cloud.example.com"
#   chain/*.url.txt                 root, sub1, sub2, server and server.key URL-encoded as the CloudStack
#                                   API takes them (Python urllib.parse.quote, safe='/')
set -euo pipefail
out=${1:?usage: make_chain_data.sh OUT_DIR}
mkdir -p "$out/chain"
cd "$out/chain"
umask 077
export OPENSSL_CONF=/dev/null

quiet() { "$@" >/dev/null 2>&1 || { echo "make_chain_data.sh: failed: $*" >&2; "$@"; exit 1; }; }
key() { quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# issue NAME SUBJECT KEY ISSUER_CERT ISSUER_KEY EXTENSIONS
issue() {
  local name=$1 subject=$2 k=$3 icert=$4 ikey=$5 ext=$6
  printf '%b\n' "$ext" > "$name.ext"
  quiet openssl req -new -key "$k" -subj "$subject" -out "$name.csr"
  quiet openssl x509 -req -in "$name.csr" -CA "$icert" -CAkey "$ikey" -set_serial "0x$(openssl rand -hex 8)" \
    -days 36500 -sha256 -extfile "$name.ext" -out "$name.pem"
  rm -f "$name.csr" "$name.ext"
}

ca_ext='basicConstraints=critical,CA:TRUE,pathlen:%s\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
server_ext='basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.cloud.example.com\nauthorityKeyIdentifier=keyid'

key root.key
key sub1.key
key sub2.key
key sub2_rekeyed.key
key server.key
key server2.key
key other.key
key self_signed.key
quiet openssl req -x509 -new -key root.key -subj "/CN=certfleet Chain Root" -days 36500 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
# shellcheck disable=SC2059
issue sub1 "/CN=certfleet Chain Sub CA 1" sub1.key root.pem root.key "$(printf "$ca_ext" 1)"
# shellcheck disable=SC2059
issue sub2 "/CN=certfleet Chain Sub CA 2" sub2.key sub1.pem sub1.key "$(printf "$ca_ext" 0)"
# shellcheck disable=SC2059
issue sub2_rekeyed "/CN=certfleet Chain Sub CA 2" sub2_rekeyed.key sub1.pem sub1.key "$(printf "$ca_ext" 0)"
issue server "/CN=*.cloud.example.com" server.key sub2.pem sub2.key "$server_ext"
issue server2 "/CN=*.cloud.example.com" server2.key sub2.pem sub2.key "$server_ext"
quiet openssl req -x509 -new -key self_signed.key -subj "/CN=*.cloud.example.com" -days 36500 -sha256 \
  -addext "subjectAltName=DNS:*.cloud.example.com" -addext "extendedKeyUsage=serverAuth" -out self_signed.pem
for f in root.pem sub1.pem sub2.pem server.pem server.key; do
  python3 -c 'import sys, urllib.parse; sys.stdout.write(urllib.parse.quote(open(sys.argv[1]).read(), safe="/"))' \
    "$f" > "${f%.*}$([[ $f == *.key ]] && echo .key).url.txt"
done
rm -f ./*.srl
chmod -R a+rX "$out/chain"
