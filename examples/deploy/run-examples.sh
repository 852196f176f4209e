#!/usr/bin/env bash
# Runs the example specs in a scratch directory: a throwaway PKI made with openssl and keytool, the
# service directories under ./root, state and backups under ./state. Nothing outside the scratch
# directory is touched. Usage: examples/deploy/run-examples.sh [CERTFLEET_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
certfleet=${1:-$here/../../build/release/certfleet}
certfleet=$(cd "$(dirname "$certfleet")" && pwd)/$(basename "$certfleet")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export CERTFLEET_STATE_DIR=$work/state
cp "$here"/*.yaml .
mkdir -p pki root/opt/cloudera/security/jks root/opt/cloudera/security/x509 root/opt/haproxy/security/x509 \
  root/etc/puppetlabs/puppetdb/ssl
(
  cd pki
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem \
    -days 30 -subj "/CN=Example Root" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout node1.key -out node1.csr \
    -subj "/CN=node1.example.com" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:node1.example.com\n' > ext.cnf
  openssl x509 -req -in node1.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -days 10 -extfile ext.cnf \
    -out node1.pem 2>/dev/null
  cp root.pem chain.pem
  echo changeit > storepass
)
# What the node had before: a keystore with another entry, and old PEM files root:daemon 0440.
keytool -genkeypair -keystore root/opt/cloudera/security/jks/node.jks -storetype JKS -storepass changeit \
  -keypass changeit -alias other -keyalg EC -groupname secp256r1 -dname CN=other -validity 30 2>/dev/null
echo old > root/opt/cloudera/security/x509/node.cert
echo old > root/opt/cloudera/security/x509/node.key
chmod 0440 root/opt/cloudera/security/x509/node.*
for spec in cloudera-node haproxy-edge puppetdb; do
  echo "== $spec.yaml (dry run)"
  "$certfleet" deploy --spec "$spec.yaml" --dry-run
  echo "== $spec.yaml"
  "$certfleet" deploy --spec "$spec.yaml"
done
echo "== again: nothing changes, no hook runs"
"$certfleet" deploy --spec cloudera-node.yaml
echo "== history"
"$certfleet" deploy history
keytool -list -keystore root/opt/cloudera/security/jks/node.jks -storepass changeit 2>/dev/null | grep -E 'Entry|entries'
