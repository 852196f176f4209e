# PKCS#12 (modern, legacy), truststores, the Kubernetes TLS Secret, the seed 004 chain files and the
# Puppet ssl dir, each checked with the program that consumes it, and every format read back.
pki=$TESTDATA/pki
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'changeit\n' > pw
cat "$pki/intermediate.pem" "$pki/root.pem" > chain.pem
in=(--cert "$pki/server.pem" --key "$pki/server.key" --chain chain.pem)
pub() { openssl pkey -in "$1" -pubout; }

# PKCS#12: openssl reads both with the right chain and protection.
"$CERTFLEET" bundle "${in[@]}" --format pkcs12 --alias node1 --password-file pw --out modern.p12 >/dev/null
"$CERTFLEET" bundle "${in[@]}" --format pkcs12 --legacy --alias node1 --password-file pw --out legacy.p12 >/dev/null
for kind in modern legacy; do
  extra=(); [[ $kind == legacy ]] && extra=(-legacy)
  openssl pkcs12 -info -in "$kind.p12" -passin pass:changeit -nodes "${extra[@]}" > "$kind.txt" 2>&1 ||
    { cat "$kind.txt"; fail "openssl cannot read $kind.p12"; }
  grep -E '^(MAC:|PKCS7 Encrypted data:|Shrouded Keybag:)' "$kind.txt" | sed "s/^/$kind: /"
  grep -E '^subject=' "$kind.txt" | sed "s/^/$kind: /"
  grep -m1 'friendlyName' "$kind.txt" | sed "s/^ */$kind: /"
  [[ $(openssl pkey -in "$kind.txt" -pubout) == $(pub "$pki/server.key") ]] || fail "$kind key differs"
done
if openssl pkcs12 -info -in modern.p12 -passin pass:wrong -nokeys >/dev/null 2>&1; then fail "wrong password accepted"; fi
echo "openssl with a wrong password: refused"

# Truststores: the root only, as Java sees it (seed 004: the root goes into the Java truststore).
"$CERTFLEET" bundle "${in[@]}" --format truststore --password-file pw --out trust.jks >/dev/null
"$CERTFLEET" bundle "${in[@]}" --format truststore --truststore-type pkcs12 --alias rootca --password-file pw \
  --out trust.p12 >/dev/null
for t in trust.jks trust.p12; do
  keytool -list -keystore "$t" -storepass changeit 2>/dev/null | grep -E '^(Keystore type|Your keystore)|trustedCertEntry' |
    cut -d, -f1,4 | sed "s/^/$t: /"
done
[[ $(keytool -exportcert -rfc -keystore trust.p12 -storepass changeit -alias rootca 2>/dev/null | openssl x509 -fingerprint -noout) == \
   $(openssl x509 -in "$pki/root.pem" -fingerprint -noout) ]] || fail "truststore root differs"

# Kubernetes TLS Secret: compared with what kubectl itself makes from the same files, offline.
"$CERTFLEET" bundle "${in[@]}" --format k8s-secret --name node1-tls --namespace cml --with-ca --out secret.yaml >/dev/null
mkdir pemset
"$CERTFLEET" bundle "${in[@]}" --format pem --out pemset >/dev/null
kubectl create secret tls node1-tls --namespace cml --cert pemset/fullchain.pem --key pemset/key.pem \
  --dry-run=client -o json > kubectl.json
python3 - <<'PY'
import base64, json, yaml
ours = yaml.safe_load(open("secret.yaml"))
theirs = json.load(open("kubectl.json"))
for field in ("apiVersion", "kind", "type"):
    assert ours[field] == theirs[field], field
assert ours["metadata"]["name"] == theirs["metadata"]["name"] and ours["metadata"]["namespace"] == "cml"
for key in ("tls.crt", "tls.key"):
    assert base64.b64decode(ours["data"][key]) == base64.b64decode(theirs["data"][key]), key
assert base64.b64decode(ours["data"]["ca.crt"]) == open("pemset/ca.pem", "rb").read()
print("k8s secret: same as kubectl's, plus ca.crt:", sorted(ours["data"]))
PY
cmp -s pemset/cert.pem "$pki/server.pem" || fail "pem cert"
cmp -s pemset/chain.pem "$pki/intermediate.pem" || fail "pem chain"
mkdir rootfirst
"$CERTFLEET" bundle "${in[@]}" --format pem --order root-first --out rootfirst >/dev/null
[[ $(cat "$pki/intermediate.pem" "$pki/server.pem") == $(cat rootfirst/fullchain.pem) ]] || fail "root-first order"
echo "pem set: $(cd pemset && ls | tr '\n' ' ')"

# Seed 004's ordered upload files, and the Apache trio; each verifies against the ones before it.
mkdir upload
"$CERTFLEET" bundle "${in[@]}" --format chain-files --out upload >/dev/null
ls upload | tr '\n' ' ' | sed 's/^/chain files: /; s/ $/\n/'
openssl verify -CAfile upload/01-root.crt upload/02-intermediate.crt
openssl verify -CAfile upload/01-root.crt -untrusted upload/02-intermediate.crt upload/03-server.crt | sed 's|upload/||'
openssl verify -CAfile <(tail -n "$(grep -c '' "$pki/root.pem")" upload/chain.crt) -untrusted upload/chain.crt upload/server.crt | sed 's|upload/||'
[[ $(pub upload/04-server.key) == $(pub "$pki/server.key") ]] || fail "upload key"

# Puppet ssl dir (seed 003): exact paths and modes.
mkdir ssl
"$CERTFLEET" bundle "${in[@]}" --format puppet-ssl-dir --name node1.example.com --crl "$pki/intermediate.crl" \
  --out ssl >/dev/null
(cd ssl && find . -type f -printf '%m %p\n' | sort -k2)
openssl verify -CAfile ssl/certs/ca.pem -untrusted "$pki/intermediate.pem" ssl/certs/node1.example.com.pem | sed 's|ssl/||'
[[ $(pub ssl/private_keys/node1.example.com.pem) == $(cat ssl/public_keys/node1.example.com.pem) ]] || fail "puppet public key"

# Owned by the service user, keys group-readable when a group is given (0640).
mkdir ssl2
"$CERTFLEET" bundle "${in[@]}" --format puppet-ssl-dir --name node1.example.com --owner nobody --group nogroup \
  --out ssl2 >/dev/null
(cd ssl2 && find . -type f -printf '%m %u:%g %p\n' | sort -k3 | sed 's/^/owned: /')

# Every keystore format read back gives the same certificate, chain and key.
cat pemset/key.pem pemset/ca.pem pemset/fullchain.pem > combined.pem  # any order: --from sorts it
for src in modern.p12 legacy.p12 combined.pem secret.yaml; do
  mkdir "back-$src"
  "$CERTFLEET" bundle --from "$src" --password-file pw --format pem --out "back-$src" >/dev/null
  cmp -s "back-$src/cert.pem" "$pki/server.pem" && cmp -s "back-$src/chain.pem" "$pki/intermediate.pem" &&
    cmp -s "back-$src/ca.pem" "$pki/root.pem" && [[ $(pub "back-$src/key.pem") == $(pub "$pki/server.key") ]] ||
    fail "$src round trip"
  echo "round trip $src: same certificate, chain, root and key"
done

# Bad input: a target directory that does not exist, a missing password; nothing is written.
set +e
"$CERTFLEET" bundle "${in[@]}" --format jks --password-file pw --out missing/dir/node.jks 2>err.txt
echo "missing directory: exit $? $(cat err.txt)"
"$CERTFLEET" bundle "${in[@]}" --format pkcs12 --out nopw.p12 2>err.txt
echo "no password: exit $? $(cat err.txt)"
"$CERTFLEET" bundle --from modern.p12 --password-file <(echo wrong) --format pem --out pemset 2>err.txt
echo "wrong PKCS#12 password: exit $? $(cat err.txt)"
head -c 500 modern.p12 > cut.p12
"$CERTFLEET" bundle --from cut.p12 --password-file pw --format pem --out pemset 2>err.txt
echo "truncated PKCS#12: exit $? $(cat err.txt)"
set -e
[[ ! -e nopw.p12 && ! -e missing ]] || fail "something was written"
