# JKS written by certfleet is read by the real keytool, keytool's JKS is read by certfleet, a wrong
# password fails in both directions, and --import-into adds an alias without touching the others.
pki=$TESTDATA/pki
fx=$TESTDATA/formats
printf 'changeit\n' > pw
printf 'not-the-password\n' > bad
cat "$pki/intermediate.pem" "$pki/root.pem" > chain.pem
fail() { echo "FAIL: $*" >&2; exit 1; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# 1. Ours -> keytool (seed 000: alias $HOSTNAME, chain leaf + intermediate + root).
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias Node1.Example.COM --password-file pw --out node1.jks >/dev/null
[[ $(stat -c %a node1.jks) == 600 ]] || fail "keystore mode is $(stat -c %a node1.jks)"
keytool -list -v -keystore node1.jks -storepass changeit > list.txt 2>/dev/null
grep -E '^(Keystore type|Alias name|Entry type|Certificate chain length):' list.txt
grep -q '^Your keystore contains 1 entry' list.txt || fail "entry count"
# keytool recovers the very key we protected: export through PKCS#12 and compare public keys.
keytool -importkeystore -noprompt -srckeystore node1.jks -srcstorepass changeit -destkeystore back.p12 \
  -deststoretype PKCS12 -deststorepass changeit >/dev/null 2>&1
[[ $(openssl pkcs12 -in back.p12 -nocerts -nodes -passin pass:changeit 2>/dev/null | openssl pkey -pubout) == \
   $(openssl pkey -in "$pki/server.key" -pubout) ]] || fail "keytool recovered a different key"
echo "keytool recovers our key: yes"

# 2. Wrong password, ours read by keytool.
if keytool -list -keystore node1.jks -storepass wrongpass >out.txt 2>&1; then fail "keytool accepted a wrong password"; fi
grep -o 'Keystore was tampered with, or password was incorrect' out.txt

# 3. keytool's JKS -> ours.
"$CERTFLEET" inspect --password-file pw --json "$fx/keytool_ec.jks" > ec.json
python3 - "$fx/keytool_ec.jks" <<'PY'
import json, sys
for o in json.load(open("ec.json")):
    src = o["source"].replace(sys.argv[1], "keytool_ec.jks")
    print(src, "->", o["type"], o.get("subject", ""), "| matches:", len(o.get("matching_keys", o.get("matching_certificates", []))))
PY
"$CERTFLEET" inspect --password-file pw --json "$fx/keytool_server.jks" > server.json
[[ $(python3 -c 'import json; print(json.load(open("server.json"))[0]["fingerprints"]["sha256"])') == \
   $(openssl x509 -in "$pki/server.pem" -noout -fingerprint -sha256 | cut -d= -f2) ]] || fail "keytool_server.jks leaf differs"
echo "keytool's imported PKCS#12 chain read: yes"

# 4. Wrong password, keytool's read by us: a clear error, exit 3 (not authenticated).
set +e
"$CERTFLEET" inspect --password-file bad "$fx/keytool_ec.jks" 2> err.txt >/dev/null
rc=$?
set -e
echo "certfleet wrong password: exit $rc"
sed "s|$fx/||" err.txt

# 5. PKCS#12 written by us, imported by keytool -importkeystore (modern and legacy).
for kind in modern legacy; do
  flag=(); [[ $kind == legacy ]] && flag=(--legacy)
  "$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format pkcs12 \
    "${flag[@]}" --alias node1 --password-file pw --out "node1-$kind.p12" >/dev/null
  keytool -importkeystore -noprompt -srckeystore "node1-$kind.p12" -srcstoretype PKCS12 -srcstorepass changeit \
    -destkeystore "from-$kind.jks" -deststoretype JKS -deststorepass changeit > imp.txt 2>&1 || { cat imp.txt; fail "import $kind"; }
  keytool -list -v -keystore "from-$kind.jks" -storepass changeit 2>/dev/null | grep -E '^(Alias name|Certificate chain length):' |
    sed "s/^/$kind p12 via keytool: /"
  # ... and the JKS keytool wrote from it is read by us, with the same key.
  mkdir "pem-$kind"
  "$CERTFLEET" bundle --from "from-$kind.jks" --password-file pw --format pem --out "pem-$kind" >/dev/null
  cmp -s "pem-$kind/cert.pem" "$pki/server.pem" || fail "$kind: certificate differs after the round trip"
  cmp -s "pem-$kind/ca.pem" "$pki/root.pem" || fail "$kind: root differs after the round trip"
  [[ $(openssl pkey -in "pem-$kind/key.pem" -pubout) == $(openssl pkey -in "$pki/server.key" -pubout) ]] ||
    fail "$kind: key differs"
done

# 6. --import-into: add an alias to keytool's keystore, keep its entries, back it up first.
cp "$fx/keytool_ec.jks" existing.jks
mkdir backups
before=$(sum existing.jks)
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias web --password-file pw --import-into existing.jks --backup-dir backups | sed 's/(previous kept as .*\/backups\/[0-9TZ]*-[0-9a-f]*\/.*\/existing.jks)/(previous kept)/'
keytool -list -keystore existing.jks -storepass changeit 2>/dev/null | grep -E '^(Your keystore|node1|root|web),?' | cut -d, -f1,4 | sort
[[ $(sum backups/*"$PWD"/existing.jks) == "$before" ]] || fail "backup differs from the original"
# the same alias again, without --replace: conflict, file untouched.
before=$(sum existing.jks)
set +e
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias WEB --password-file pw --import-into existing.jks 2>err.txt >/dev/null
echo "alias exists: exit $? $(cat err.txt)"
# wrong password: error, file untouched.
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias other --password-file bad --import-into existing.jks 2>err.txt >/dev/null
echo "wrong password on import: exit $? $(cat err.txt)"
# truncated keystore
cp "$fx/truncated.jks" t.jks
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias other --password-file pw --import-into t.jks 2>err.txt >/dev/null
echo "truncated: exit $? $(cat err.txt)"
set -e
[[ $(sum existing.jks) == "$before" ]] || fail "a refused import changed the keystore"
cmp -s t.jks "$fx/truncated.jks" || fail "the truncated keystore was changed"
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem --format jks \
  --alias web --replace --password-file pw --import-into existing.jks >/dev/null
keytool -list -keystore existing.jks -storepass changeit 2>/dev/null | grep -c PrivateKeyEntry | sed 's/^/key entries after --replace: /'

# Seed 004: put the root into an existing Java keystore (realhostip.keystore) as a trusted entry.
cp "$fx/keytool_rsa.jks" realhostip.keystore
"$CERTFLEET" bundle --cert "$pki/root.pem" --format truststore --alias rootca --password-file pw \
  --import-into realhostip.keystore >/dev/null
keytool -list -keystore realhostip.keystore -storepass changeit 2>/dev/null | grep -E '^(Your keystore|rsa|rootca),?' |
  cut -d, -f1,4 | sort
