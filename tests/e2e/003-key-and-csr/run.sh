# key generate and csr create produce files that openssl reads, with the right modes, and refuse
# bad input without writing anything.
mode_of() { stat -c %a "$1"; }
umask 022

for type in rsa:2048 rsa:3072 rsa:4096 ec:p256 ec:p384 ed25519; do
  out=key-${type/:/-}.pem
  "$CERTFLEET" key generate --type "$type" --out "$out" > /dev/null
  [[ $(mode_of "$out") == 600 ]] || { echo "$type: mode $(mode_of "$out")"; exit 1; }
  text=$(openssl pkey -in "$out" -noout -text 2>&1) || { echo "$type: openssl cannot read it"; exit 1; }
  case $type in
    rsa:*) grep -q "Private-Key: (${type#rsa:} bit" <<<"$text" || { echo "$type: wrong size"; exit 1; } ;;
    ec:p256) grep -q 'NIST CURVE: P-256' <<<"$text" || { echo "$type: wrong curve"; exit 1; } ;;
    ec:p384) grep -q 'NIST CURVE: P-384' <<<"$text" || { echo "$type: wrong curve"; exit 1; } ;;
    ed25519) grep -q 'ED25519 Private-Key' <<<"$text" || { echo "$type: not Ed25519"; exit 1; } ;;
  esac
  echo "key generate $type: mode 600, openssl reads it"
done

# Encrypted: openssl reads it with the passphrase file and refuses a wrong one; the PEM is PBES2.
printf 'correct horse battery staple\n' > pass.txt
printf 'wrong\n' > wrong.txt
"$CERTFLEET" key generate --type ec:p256 --passphrase-file pass.txt --out enc.key > gen.txt
grep -q 'ENCRYPTED PRIVATE KEY' enc.key || { echo "not encrypted"; exit 1; }
! grep -q 'correct horse' gen.txt enc.key || { echo "passphrase leaked"; exit 1; }
openssl pkey -in enc.key -passin file:pass.txt -noout || { echo "openssl cannot decrypt"; exit 1; }
if openssl pkey -in enc.key -passin file:wrong.txt -noout 2> /dev/null; then echo "wrong passphrase accepted"; exit 1; fi
openssl asn1parse -in enc.key | grep -q 'PBES2' || { echo "not PBES2"; exit 1; }
openssl asn1parse -in enc.key | grep -q 'aes-256-cbc' || { echo "not AES-256-CBC"; exit 1; }
echo "encrypted key: openssl reads it with the passphrase, refuses a wrong one"

# No overwrite without --force.
before=$(sha256sum key-ec-p256.pem)
set +e
"$CERTFLEET" key generate --type ec:p256 --out key-ec-p256.pem > out.txt 2> err.txt
rc=$?
set -e
[[ $rc == 4 ]] || { echo "overwrite: exit $rc"; exit 1; }
[[ $(sha256sum key-ec-p256.pem) == "$before" ]] || { echo "overwrite: file changed"; exit 1; }
grep -q 'already exists' err.txt || { echo "overwrite: no reason given"; exit 1; }
"$CERTFLEET" key generate --type ec:p256 --out key-ec-p256.pem --force > /dev/null
[[ $(sha256sum key-ec-p256.pem) != "$before" ]] || { echo "--force: not replaced"; exit 1; }
[[ $(mode_of key-ec-p256.pem) == 600 ]] || { echo "--force: mode"; exit 1; }
echo "existing key: refused (exit 4), replaced with --force"

# CSR from an existing key: openssl verifies it and sees the SANs and EKU.
"$CERTFLEET" csr create --key key-ec-p256.pem --subject "CN=node1.example.com,O=Acme" \
  --san DNS:node1.example.com,DNS:node1,DNS:*.apps.example.com --san IP:10.0.0.1 --eku server,client \
  --out node1.csr > /dev/null
openssl req -in node1.csr -verify -noout 2> /dev/null || { echo "csr: signature does not verify"; exit 1; }
text=$(openssl req -in node1.csr -noout -text)
for want in 'DNS:node1.example.com' 'DNS:node1,' 'DNS:\*.apps.example.com' 'IP Address:10.0.0.1' \
            'TLS Web Server Authentication' 'TLS Web Client Authentication'; do
  grep -q "$want" <<<"$text" || { echo "csr: openssl req -text lacks $want"; exit 1; }
done
[[ $(openssl req -in node1.csr -noout -subject -nameopt RFC2253) == 'subject=CN=node1.example.com,O=Acme' ]] ||
  { echo "csr: subject differs"; exit 1; }
[[ $(openssl req -in node1.csr -noout -pubkey) == $(openssl pkey -in key-ec-p256.pem -pubout) ]] ||
  { echo "csr: not the key's public key"; exit 1; }
echo "csr create --key: openssl verifies it, SANs and EKU present"

# CSR with a new RSA key.
"$CERTFLEET" csr create --new-key rsa:2048 --subject /O=Acme/CN=ws.example.com --san DNS:*.ws.example.com \
  --out ws.csr --key-out ws.key > /dev/null
openssl req -in ws.csr -verify -noout 2> /dev/null || { echo "ws.csr: does not verify"; exit 1; }
[[ $(mode_of ws.key) == 600 ]] || { echo "ws.key: mode"; exit 1; }
[[ $(openssl req -in ws.csr -noout -pubkey) == $(openssl pkey -in ws.key -pubout) ]] || { echo "ws: key"; exit 1; }
echo "csr create --new-key: key written 600, CSR verifies"

# Bad input: exit 2, nothing written.
# refuse_with STATUS WHAT COMMAND...: exits STATUS with a message, writes nothing.
refuse_with() {
  local want=$1 what=$2; shift 2
  set +e
  "$@" > out.txt 2> err.txt
  local rc=$?
  set -e
  [[ $rc == "$want" ]] || { echo "$what: exit $rc"; cat err.txt; exit 1; }
  [[ ! -e bad.csr && ! -e bad.csr.key && ! -e bad.key ]] || { echo "$what: something was written"; exit 1; }
  [[ -s err.txt ]] || { echo "$what: no message"; exit 1; }
  echo "$what: refused (exit $want), nothing written"
}
refuse() { refuse_with 2 "$@"; }
refuse "bad SAN" "$CERTFLEET" csr create --new-key ec:p256 --subject CN=x --san 'DNS:bad name' --out bad.csr
grep -q 'bad name' err.txt || { echo "bad SAN not named"; exit 1; }
refuse "empty subject" "$CERTFLEET" csr create --new-key ec:p256 --subject '' --out bad.csr
refuse "unknown attribute" "$CERTFLEET" csr create --new-key ec:p256 --subject 'XX=y' --out bad.csr
refuse "unknown EKU" "$CERTFLEET" csr create --new-key ec:p256 --subject CN=x --eku codesign --out bad.csr
refuse "unknown key type (csr)" "$CERTFLEET" csr create --new-key rsa:1024 --subject CN=x --out bad.csr
refuse "unknown key type (key)" "$CERTFLEET" key generate --type dsa:2048 --out bad.key
refuse_with 3 "wrong key passphrase" "$CERTFLEET" csr create --key enc.key --passphrase-file wrong.txt --subject CN=x \
  --out bad.csr
