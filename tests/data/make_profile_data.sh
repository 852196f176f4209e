#!/usr/bin/env bash
# Generates the server-profile fixtures (src/pki/profile_rules.hpp) with the real openssl CLI: one
# certificate breaking each rule, and ok.pem breaking none, all under one EC root of their own.
# Usage: make_profile_data.sh OUT_DIR
#
#   pki/profile/root.pem, root.key        self-signed EC root (AKI keyid = SKI), the issuer of everything
#   pki/profile/ok.pem                    leaf node1.example.com: v3, SAN, serverAuth, positive serial
#   serial_zero, serial_negative, serial_long (21 octets)          leaves with such serial numbers
#   nc_leaf.pem                           leaf with nameConstraints
#   nc_empty_ca, nc_invalid_ca (DNS:bad_name.example.com), nc_dot_ca (DNS:.example.com),
#   nc_excluded_ca (permits example.com, excludes bar.example.com)                       CAs
#   wildcard.pem                          leaf *.example.com (under nc_excluded_ca: reaches the excluded name)
#   san_underscore, san_critical, san_missing, cn_ip_zeros (CN 192.168.001.001), cn_ip_ok (CN 192.168.1.1),
#   cn_ip_hex (CN 0xC0A80101), cn_case (CN Node1.Example.com), cn_utf8 (CN bücher.example.com),
#   wildcard_icann (*.co.uk), wildcard_private (*.s3.amazonaws.com)                     leaves
#   eku_empty, eku_critical, eku_missing, eku_any                                        leaves
#   root_eku, root_aki_issuer (AKI issuer+serial, no keyid), root_aki_mismatch, root_bad_sig  roots
#   dsa.pem, rsa2052.pem, v1.pem, ca_no_cert_sign.pem, ca_leaf.pem, aia_malformed.pem    leaves
#   pc_noncritical_ca.pem                 CA with a non-critical policyConstraints
#   crl_numbered.pem, crl_unnumbered.pem  CRLs of root.pem with and without cRLNumber
#   root_serial_zero.pem                  a root with serial number 0 (as some in Debian's store)
#   root_no_ku.pem, no_ku_leaf.pem        a root without keyUsage, and a leaf under it
#   Engine: root2.pem (a second root); nc_forbid_ca.pem (under root, excludes forbidden.example.com);
#   ica_b_forbidden.pem (CN=certfleet Profile ICA B, SAN forbidden.example.com, under nc_forbid_ca) and
#   ica_b_root2.pem (same name and key, under root2); ica_b_leaf.pem (issued by that key);
#   ica_c.pem (under root), ica_c_rollover.pem (self-issued by ica_c to a new key), ica_c_leaf.pem
set -euo pipefail
out=${1:?usage: make_profile_data.sh OUT_DIR}
mkdir -p "$out/pki/profile"
cd "$out/pki/profile"
umask 077
export OPENSSL_CONF=/dev/null

cat > profile.cnf <<'CNF'
[ req ]
distinguished_name = dn
[ dn ]
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ root_eku ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
extendedKeyUsage = serverAuth
[ root_aki_issuer ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = issuer:always
[ root_aki_mismatch ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = DER:30:16:80:14:00:11:22:33:44:55:66:77:88:99:00:11:22:33:44:55:66:77:88:99
[ ok ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
authorityKeyIdentifier = keyid
[ root_no_ku ]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ nc_forbid_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;DNS:forbidden.example.com
[ ica_b ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:forbidden.example.com
[ nc_leaf ]
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
nameConstraints = critical, permitted;DNS:example.com
[ ca_base ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ nc_empty_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, DER:30:00
[ nc_invalid_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:bad_name.example.com
[ nc_dot_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:.example.com
[ nc_excluded_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:example.com, excluded;DNS:bar.example.com
[ pc_noncritical_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
policyConstraints = requireExplicitPolicy:0
[ wildcard ]
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.example.com
[ san_underscore ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:node_1.example.com
[ san_critical ]
extendedKeyUsage = serverAuth
subjectAltName = critical, DNS:node1.example.com
[ san_missing ]
extendedKeyUsage = serverAuth
[ cn_ip ]
extendedKeyUsage = serverAuth
subjectAltName = IP:192.168.1.1
[ cn_utf8 ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:xn--bcher-kva.example.com
[ san_node1 ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
[ wildcard_icann ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.co.uk
[ wildcard_private ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.s3.amazonaws.com
[ eku_empty ]
subjectAltName = DNS:node1.example.com
extendedKeyUsage = DER:30:00
[ eku_critical ]
subjectAltName = DNS:node1.example.com
extendedKeyUsage = critical, serverAuth
[ eku_missing ]
subjectAltName = DNS:node1.example.com
[ eku_any ]
subjectAltName = DNS:node1.example.com
extendedKeyUsage = serverAuth, anyExtendedKeyUsage
[ ca_no_cert_sign ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
[ ca_leaf ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
[ aia_malformed ]
extendedKeyUsage = serverAuth
subjectAltName = DNS:node1.example.com
authorityInfoAccess = DER:05:00
[ ca ]
default_ca = profile_ca
[ profile_ca ]
database = index.txt
crlnumber = crlnumber.txt
default_md = sha256
default_crl_days = 30
[ profile_ca_unnumbered ]
database = index.txt
default_md = sha256
default_crl_days = 30
CNF

quiet() { "$@" >/dev/null 2>&1 || { echo "make_profile_data.sh: failed: $*" >&2; "$@"; exit 1; }; }

# issue NAME SUBJECT EXT [SERIAL [KEY [ISSUER]]]: NAME.pem signed by ISSUER (default root) with `openssl x509 -req`.
issue() {
  local name=$1 subject=$2 ext=$3 serial=${4:-0x$(openssl rand -hex 16)} key=${5:-leaf.key} issuer=${6:-root}
  quiet openssl req -new -utf8 -key "$key" -subj "$subject" -out "$name.csr" -config profile.cnf
  if [[ $ext == none ]]; then
    quiet openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -set_serial "$serial" \
      -days 36500 -sha256 -out "$name.pem"
  else
    quiet openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -set_serial "$serial" \
      -days 36500 -sha256 -extfile profile.cnf -extensions "$ext" -out "$name.pem"
  fi
  rm -f "$name.csr"
}

# self_signed NAME SUBJECT EXT: a root with its own key NAME.key.
self_signed() {
  quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  quiet openssl req -new -x509 -key "$1.key" -subj "$2" -days 36500 -config profile.cnf -extensions "$3" \
    -set_serial "0x$(openssl rand -hex 16)" -out "$1.pem"
}

quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
self_signed root "/CN=certfleet Profile Root" root
self_signed root_eku "/CN=certfleet Profile Root EKU" root_eku
self_signed root_aki_issuer "/CN=certfleet Profile Root AKI issuer" root_aki_issuer
self_signed root_aki_mismatch "/CN=certfleet Profile Root AKI mismatch" root_aki_mismatch
cp root.key ca.key

issue ok "/CN=node1.example.com" ok
issue serial_zero "/CN=node1.example.com" ok 0
issue serial_negative "/CN=node1.example.com" ok -5
issue serial_long "/CN=node1.example.com" ok 0x7f$(openssl rand -hex 20)
issue nc_leaf "/CN=node1.example.com" nc_leaf
for ca in nc_empty_ca nc_invalid_ca nc_dot_ca nc_excluded_ca pc_noncritical_ca; do
  issue "$ca" "/CN=certfleet Profile $ca" "$ca" "0x$(openssl rand -hex 16)" ca.key
done
cp ca.key nc_excluded_ca.key
issue wildcard "/CN=*.example.com" wildcard "0x$(openssl rand -hex 16)" leaf.key nc_excluded_ca
issue san_underscore "/CN=node_1.example.com" san_underscore
issue san_critical "/CN=node1.example.com" san_critical
issue san_missing "/CN=node1.example.com" san_missing
issue cn_ip_zeros "/CN=192.168.001.001" cn_ip
issue cn_ip_ok "/CN=192.168.1.1" cn_ip
issue cn_case "/CN=Node1.Example.com" san_node1
issue cn_utf8 "/CN=bücher.example.com" cn_utf8
issue cn_ip_hex "/CN=0xC0A80101" cn_ip
issue wildcard_icann "/CN=*.co.uk" wildcard_icann
issue wildcard_private "/CN=*.s3.amazonaws.com" wildcard_private
for ext in eku_empty eku_critical eku_missing eku_any ca_no_cert_sign ca_leaf aia_malformed; do
  issue "$ext" "/CN=node1.example.com" "$ext"
done
issue v1 "/CN=node1.example.com" none

quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out rsa2052.key
issue rsa2052 "/CN=node1.example.com" ok "0x$(openssl rand -hex 16)" rsa2052.key
quiet openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.params
quiet openssl genpkey -paramfile dsa.params -out dsa.key
issue dsa "/CN=node1.example.com" ok "0x$(openssl rand -hex 16)" dsa.key

# A root with serial 0, and one without keyUsage with a leaf under it.
quiet openssl req -new -x509 -key root.key -subj "/CN=certfleet Profile Root serial 0" -days 36500 \
  -config profile.cnf -extensions root -set_serial 0 -out root_serial_zero.pem
self_signed root_no_ku "/CN=certfleet Profile Root without keyUsage" root_no_ku
issue no_ku_leaf "/CN=node1.example.com" ok "0x$(openssl rand -hex 16)" leaf.key root_no_ku

# Two paths to one leaf: through a CA whose nameConstraints exclude the intermediate's SAN, or root2.
self_signed root2 "/CN=certfleet Profile Root 2" root
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out nc_forbid_ca.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ica_b.key
issue nc_forbid_ca "/CN=certfleet Profile NC forbid CA" nc_forbid_ca "0x$(openssl rand -hex 16)" nc_forbid_ca.key
issue ica_b_forbidden "/CN=certfleet Profile ICA B" ica_b "0x$(openssl rand -hex 16)" ica_b.key nc_forbid_ca
issue ica_b_root2 "/CN=certfleet Profile ICA B" ica_b "0x$(openssl rand -hex 16)" ica_b.key root2
cp ica_b.key ica_b_forbidden.key
issue ica_b_leaf "/CN=node1.example.com" ok "0x$(openssl rand -hex 16)" leaf.key ica_b_forbidden

# A key rollover: ica_c re-issues its own name to a new key (self-issued), which signs the leaf.
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ica_c.key
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ica_c_rollover.key
issue ica_c "/CN=certfleet Profile ICA C" ca_base "0x$(openssl rand -hex 16)" ica_c.key
issue ica_c_rollover "/CN=certfleet Profile ICA C" ca_base "0x$(openssl rand -hex 16)" ica_c_rollover.key ica_c
issue ica_c_leaf "/CN=node1.example.com" ok "0x$(openssl rand -hex 16)" leaf.key ica_c_rollover

# root.pem with one bit of its signature flipped: still DER, no longer self-signed.
python3 - <<'PY'
import base64
lines = open("root.pem").read().split("\n")
der = bytearray(base64.b64decode("".join(l for l in lines if l and not l.startswith("-----"))))
der[-1] ^= 0x01
b64 = base64.b64encode(bytes(der)).decode()
with open("root_bad_sig.pem", "w") as f:
    f.write("-----BEGIN CERTIFICATE-----\n" + "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)))
    f.write("\n-----END CERTIFICATE-----\n")
PY

# CRLs: `openssl ca -gencrl` writes cRLNumber only when its section names a crlnumber file.
: > index.txt
quiet openssl ca -config profile.cnf -name profile_ca_unnumbered -gencrl -cert root.pem -keyfile root.key \
  -out crl_unnumbered.pem
echo 01 > crlnumber.txt
quiet openssl ca -config profile.cnf -gencrl -cert root.pem -keyfile root.key -out crl_numbered.pem
rm -f index.txt* crlnumber.txt* dsa.params
chmod -R a+rX "$out"
