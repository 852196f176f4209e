# inspect reads PKCS#12 (with --password-file), encrypted keys (with --passphrase-file), pairs keys
# with --key, walks directories with -r and reads standard input.
pki=$TESTDATA/pki
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

for p12 in server.p12 server_legacy.p12; do
  json=$("$CERTFLEET" inspect --json --password-file "$pki/p12pass.txt" "$pki/$p12")
  [[ $(json_field 'len(d)' <<<"$json") == 3 ]] || { echo "$p12: not 3 objects"; exit 1; }
  [[ $(json_field 'd[0]["subject"]' <<<"$json") == 'O=certfleet tests,CN=node1.example.com' ]] ||
    { echo "$p12: subject"; exit 1; }
  [[ $(json_field 'd[0]["fingerprints"]["sha256"]' <<<"$json") == \
     "$(openssl x509 -in "$pki/server.pem" -noout -fingerprint -sha256 | cut -d= -f2)" ]] ||
    { echo "$p12: fingerprint differs from server.pem"; exit 1; }
  ! grep -q 'PRIVATE KEY' <<<"$json" || { echo "$p12: key material printed"; exit 1; }
  echo "$p12: certificate, chain certificate and key"
  set +e
  "$CERTFLEET" inspect "$pki/$p12" > out.txt 2> err.txt
  rc=$?
  printf 'wrongpass\n' > wrong.txt
  "$CERTFLEET" inspect --password-file wrong.txt "$pki/$p12" > out2.txt 2> err2.txt
  rc2=$?
  set -e
  [[ $rc == 2 ]] && grep -q 'password' err.txt || { echo "$p12 without password: exit $rc"; exit 1; }
  [[ $rc2 == 3 ]] && grep -q 'wrong PKCS#12 password' err2.txt || { echo "$p12 wrong password: exit $rc2"; exit 1; }
  ! grep -q wrongpass err2.txt || { echo "$p12: password echoed"; exit 1; }
  echo "$p12: refused without a password (exit 2) and with a wrong one (exit 3)"
done

# Encrypted key: read with --passphrase-file, paired with its certificate.
json=$("$CERTFLEET" inspect --json --passphrase-file "$pki/passphrase.txt" "$pki/key.enc.pem")
[[ $(json_field 'd[0]["type"]' <<<"$json") == private_key ]] || { echo "enc key: kind"; echo "$json"; exit 1; }
! grep -q 'correct horse' <<<"$json" || { echo "enc key: passphrase printed"; exit 1; }
echo "encrypted key: read with --passphrase-file"

# --key: exit 0 when it matches, 1 when it does not.
"$CERTFLEET" inspect --key "$pki/server.key" "$pki/server.pem" > match.txt
grep -q 'matches' match.txt || { echo "--key match: not said"; exit 1; }
set +e
"$CERTFLEET" inspect --key "$pki/other.key" "$pki/server.pem" > mismatch.txt 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || { echo "--key mismatch: exit $rc"; exit 1; }
grep -q 'does NOT match' mismatch.txt || { echo "--key mismatch: not said"; exit 1; }
"$CERTFLEET" inspect --key "$pki/key.enc.pem" --passphrase-file "$pki/passphrase.txt" "$pki/server.pem" > /dev/null
echo "--key: matching exit 0, mismatch exit 1"

# A key and its certificate in one file are paired.
json=$("$CERTFLEET" inspect --json "$pki/bundle_with_key.pem")
[[ $(json_field 'len(d[0]["matching_keys"]) > 0 and len(d[2]["matching_certificates"]) > 0' <<<"$json") == True ]] ||
  { echo "bundle: key and certificate not paired"; echo "$json"; exit 1; }
echo "bundle: key paired with its certificate"

# -r on a directory: every file, in sorted order, including nested ones.
mkdir -p tree/nested
cp "$pki/root.pem" tree/a.pem
cp "$pki/server.der" tree/nested/b.der
cp "$pki/fullchain.pem" tree/nested/c.pem
json=$("$CERTFLEET" inspect --json -r tree)
[[ $(json_field 'len(d)' <<<"$json") == 4 ]] || { echo "-r: wanted 4 objects"; exit 1; }
[[ $(json_field 'd[0]["subject"]' <<<"$json") == 'O=certfleet tests,CN=certfleet Test Root' ]] || { echo "-r: order"; exit 1; }
set +e
"$CERTFLEET" inspect tree > /dev/null 2> err.txt
rc=$?
set -e
[[ $rc == 2 ]] && grep -q -- '-r' err.txt || { echo "directory without -r: exit $rc"; exit 1; }
echo "-r: 4 certificates from 3 files; a directory without -r is refused"

# Standard input, PEM and DER.
[[ $("$CERTFLEET" inspect --json - < "$pki/server.pem" | json_field 'd[0]["serial"]') == 1002 ]] ||
  { echo "stdin pem"; exit 1; }
[[ $("$CERTFLEET" inspect --json - < "$pki/server.der" | json_field 'd[0]["serial"]') == 1002 ]] ||
  { echo "stdin der"; exit 1; }
echo "stdin: PEM and DER"

# Every lenient PEM form gives the certificate of server.pem.
want=$(openssl x509 -in "$pki/server.pem" -noout -fingerprint -sha256 | cut -d= -f2)
for f in crlf.pem text_and_pem.pem url_encoded.txt url_encoded_plus.txt server.der; do
  got=$("$CERTFLEET" inspect --json "$pki/$f" | json_field 'd[0]["fingerprints"]["sha256"]')
  [[ $got == "$want" ]] || { echo "$f: different certificate"; exit 1; }
done
echo "lenient forms: CRLF, text around, URL-encoded (quote, quote_plus), DER"
