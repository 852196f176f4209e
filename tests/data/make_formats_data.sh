#!/usr/bin/env bash
# Generates the formats/ fixtures with the real keytool and openssl, from the pki/ fixtures that
# make_data.sh made. Usage: make_formats_data.sh OUT_DIR (the same OUT_DIR as make_data.sh).
#
#   formats/storepass.txt                "changeit"
#   formats/keytool_ec.jks               keytool -genkeypair EC P-256, alias "Node1" (stored as "node1"),
#                                        plus trusted entry "root" (pki/root.pem)
#   formats/keytool_rsa.jks              keytool -genkeypair RSA-2048, alias "rsa"
#   formats/keytool_server.jks           pki/server.p12 imported by keytool -importkeystore (alias node1,
#                                        chain server + intermediate)
#   formats/keytool_truststore.jks       trusted certificates only: root and intermediate
#   formats/keypass.jks                  pki/server.p12 imported with -destkeypass keypass (store password
#                                        changeit, key password keypass), plus trustedCertEntry "root"
#   formats/chain.p7b, chain.der.p7b     server + intermediate + root as PKCS#7 (openssl crl2pkcs7), PEM and DER
#   formats/truncated.jks                keytool_ec.jks cut to 300 bytes
#   formats/flipped.jks                  keytool_ec.jks with one byte of a certificate altered
#   formats/root_chain.pem               intermediate + root (the CA part of the chain, leaf-first order)
set -euo pipefail
out=${1:?usage: make_formats_data.sh OUT_DIR}
pki=$out/pki
mkdir -p "$out/formats"
cd "$out/formats"
umask 077
export OPENSSL_CONF=/dev/null
quiet() { "$@" >/dev/null 2>&1 || { echo "make_formats_data.sh: failed: $*" >&2; "$@"; exit 1; }; }

rm -f ./*.jks
printf 'changeit\n' > storepass.txt
kt=(keytool -storetype JKS -storepass changeit)
quiet "${kt[@]}" -genkeypair -keystore keytool_ec.jks -alias Node1 -keyalg EC -groupname secp256r1 \
  -dname "CN=node1.example.com,O=certfleet tests" -validity 3650 -keypass changeit
quiet "${kt[@]}" -importcert -noprompt -keystore keytool_ec.jks -alias root -file "$pki/root.pem"
quiet "${kt[@]}" -genkeypair -keystore keytool_rsa.jks -alias rsa -keyalg RSA -keysize 2048 \
  -dname "CN=rsa.example.com" -validity 3650 -keypass changeit
quiet keytool -importkeystore -noprompt -srckeystore "$pki/server.p12" -srcstoretype PKCS12 \
  -srcstorepass changeit -destkeystore keytool_server.jks -deststoretype JKS -deststorepass changeit \
  -destkeypass changeit
quiet "${kt[@]}" -importcert -noprompt -keystore keytool_truststore.jks -alias root -file "$pki/root.pem"
quiet "${kt[@]}" -importcert -noprompt -keystore keytool_truststore.jks -alias sub -file "$pki/intermediate.pem"
head -c 300 keytool_ec.jks > truncated.jks
python3 - <<'PY'
data = bytearray(open("keytool_ec.jks", "rb").read())
data[len(data) // 2] ^= 0x01
open("flipped.jks", "wb").write(bytes(data))
PY
cat "$pki/intermediate.pem" "$pki/root.pem" > root_chain.pem
quiet keytool -importkeystore -noprompt -srckeystore "$pki/server.p12" -srcstoretype PKCS12 \
  -srcstorepass changeit -destkeystore keypass.jks -deststoretype JKS -deststorepass changeit -destkeypass keypass
quiet "${kt[@]}" -importcert -noprompt -keystore keypass.jks -alias root -file "$pki/root.pem"
openssl crl2pkcs7 -nocrl -certfile "$pki/server.pem" -certfile "$pki/intermediate.pem" -certfile "$pki/root.pem" \
  -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile "$pki/server.pem" -certfile "$pki/intermediate.pem" -certfile "$pki/root.pem" \
  -outform DER -out chain.der.p7b
chmod -R a+rX "$out/formats"
