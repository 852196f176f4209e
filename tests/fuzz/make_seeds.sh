#!/usr/bin/env bash
# Makes the seed corpus of one fuzz target from the fixtures that tests/data/*.sh made with openssl and
# keytool (DER forms converted by openssl here), plus a few YAML documents written below.
# Usage: make_seeds.sh TARGET TESTDATA_DIR OUT_DIR
set -euo pipefail
target=${1:?usage: make_seeds.sh TARGET TESTDATA_DIR OUT_DIR}
data=${2:?testdata dir}
out=${3:?out dir}
mkdir -p "$out"
export OPENSSL_CONF=/dev/null

copy() {  # copy GLOB...: every existing file, named after its fixture path
  local f
  for f in "$@"; do
    [[ -f $f ]] || continue
    cp "$f" "$out/$(realpath --relative-to="$data" "$f" | tr '/' '_')"
  done
}
der_forms() {  # DER of certificates, CSRs, CRLs and keys, as openssl writes them
  local f
  for f in "$data"/pki/*.pem "$data"/chain/*.pem; do
    openssl x509 -in "$f" -outform DER -out "$out/$(basename "$f" .pem).cert.der" 2>/dev/null || true
  done
  openssl req -in "$data/pki/server.csr" -outform DER -out "$out/server.csr.der"
  openssl crl -in "$data/pki/intermediate.crl" -outform DER -out "$out/intermediate.crl.der"
  openssl pkey -in "$data/pki/server.key" -pubout -outform DER -out "$out/server.spki.der"
  copy "$data"/pki/*.der
}
k8s_secrets() {
  local crt key
  crt=$(base64 -w0 < "$data/pki/fullchain.pem")
  key=$(base64 -w0 < "$data/pki/server.key")
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: node1-tls\n  namespace: cml\ntype: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n  ca.crt: %s\n' \
    "$crt" "$key" "$(base64 -w0 < "$data/pki/root.pem")" > "$out/secret.yaml"
  printf 'kind: Secret\napiVersion: v1\nmetadata: {name: x}\nstringData:\n  tls.crt: |\n%s\n' \
    "$(sed 's/^/    /' "$data/pki/server.pem")" > "$out/secret_string_data.yaml"
}
yaml_documents() {
  cat > "$out/policy.yaml" <<'YAML'
allowed_domains: [example.com, "*.example.com"]
allow_wildcards: false
allowed_ip_ranges: [10.0.0.0/8, "fd00::/8"]
max_validity: 90d
allowed_key_types: [rsa, ec]
min_rsa_bits: 3072
allow_subject_override: false
YAML
  cat > "$out/profiles.yaml" <<'YAML'
crl_distribution_points: [http://crl.example.com/main.crl]
ocsp_urls: [http://ocsp.example.com]
profiles:
  server:
    validity: 90d
    key_usage: [digitalSignature]
    extended_key_usage: [serverAuth]
  subca:
    validity: 5y
    key_usage: [keyCertSign, cRLSign]
    ca: true
    path_length: 0
YAML
  cat > "$out/hosts.yaml" <<'YAML'
subject: "O=Acme,C=GR"
key_type: rsa:2048
hosts:
  - name: node1.example.com
    aliases: [node1, 10.0.0.1]
  - name: edge1.example.com
    subject: "CN=edge1.example.com,OU=Edge,O=Acme"
YAML
  cat > "$out/passwords.yaml" <<'YAML'
passwords:
  - glob: "*.jks"
    password: changeit
  - path: /opt/app/node.p12
    password_file: node.pass
YAML
}

case $target in
  object_reader) copy "$data"/pki/*.pem "$data"/pki/*.key "$data"/pki/*.csr "$data"/pki/*.crl "$data"/pki/*.txt \
                      "$data"/pki/verify/*.pem "$data"/chain/*.pem "$data"/chain/*.txt; der_forms ;;
  pem)           copy "$data"/pki/*.pem "$data"/pki/*.key "$data"/pki/*.txt "$data"/chain/*.url.txt ;;
  der)           der_forms ;;
  pkcs12)        copy "$data"/pki/*.p12 ;;
  jks)           copy "$data"/formats/*.jks ;;
  k8s_secret)    k8s_secrets ;;
  artifact)      copy "$data"/pki/*.pem "$data"/pki/*.p12 "$data"/formats/*.jks; der_forms; k8s_secrets ;;
  authority_csr) copy "$data"/pki/*.csr "$data"/chain/*.csr
                 openssl req -in "$data/pki/server.csr" -outform DER -out "$out/server.csr.der" ;;
  yaml_readers)  yaml_documents ;;
  chain_order)   # byte i picks certificate i of the pool in chain_order_fuzz.cpp
                 printf '\x04\x02\x01\x00' > "$out/ordered"; printf '\x04\x01\x02\x00' > "$out/swapped"
                 printf '\x09\x08\x07' > "$out/other_chain"; printf '\x04\x03\x01' > "$out/rekeyed" ;;
  *) echo "make_seeds.sh: unknown target $target" >&2; exit 2 ;;
esac
ls "$out" | grep -q . || { echo "make_seeds.sh: no seeds for $target (fixtures missing in $data?)" >&2; exit 1; }
