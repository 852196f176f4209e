# Deploying into what a Cloudera node already has: the JKS merge keeps every other entry and the store
# password (keytool -list), a wrong store password touches nothing, node.cert/node.key (a files target)
# keep root:daemon 0440, the chain may come as PKCS#7 (.p7b), and a JKS key entry with its own key
# password (keytool -keypass) is read.
source "$SCENARIO/../deploy_fixtures.sh"
mkdir -p security/jks security/x509
kt() { keytool "$@" 2>/dev/null; }
# The node's keystore as keytool made it: another key entry and a trusted root, store password "storepass".
kt -genkeypair -keystore security/jks/node.jks -storetype JKS -storepass storepass -keypass storepass \
  -alias other -keyalg EC -groupname secp256r1 -dname "CN=other.example.com" -validity 30 >/dev/null
kt -importcert -noprompt -keystore security/jks/node.jks -storetype JKS -storepass storepass -alias corp-root \
  -file "$pki/root.pem" >/dev/null
echo "old" > security/x509/node.cert
echo "old" > security/x509/node.key
chown root:daemon security/jks/node.jks security/x509/node.cert security/x509/node.key
chmod 0440 security/jks/node.jks security/x509/node.cert security/x509/node.key
echo storepass > storepass
echo wrong > wrongpass
renew renewed
openssl crl2pkcs7 -nocrl -certfile "$pki/intermediate.pem" -certfile "$pki/root.pem" -out chain.p7b

spec() {  # spec PASSWORD_FILE
  cat <<YAML
name: node1
certificate: {cert: renewed.pem, key: $pki/server.key, chain: chain.p7b}
targets:
  - format: jks
    path: security/jks/node.jks
    password_file: $1
    alias: "{name}"
  - format: files
    files:
      cert: security/x509/node.cert
      key: security/x509/node.key
      public_key: "security/x509/{name}.public_key.pem"
YAML
}
files=(security/jks/node.jks security/x509/node.cert security/x509/node.key security/x509/node1.public_key.pem)

spec wrongpass > wrong.yaml
snapshot "${files[@]}" > before.txt
set +e
"$CERTFLEET" deploy --spec wrong.yaml > wrong.out 2> wrong.err
echo "wrong store password: exit $?"
set -e
sed "s|$PWD/||g" wrong.err
snapshot "${files[@]}" | diff before.txt - || fail "a refused deployment touched a file"
echo "nothing touched"
[[ ! -d state/backups ]] || [[ -z $(ls -A state/backups) ]] || fail "a refused deployment made a backup"

spec storepass > spec.yaml
"$CERTFLEET" deploy --spec spec.yaml > deploy.out || { cat deploy.out; fail "deploy"; }
head -1 deploy.out | sed 's/ [0-9TZ]*-[0-9a-f]*:/ ID:/'
for f in "${files[@]}"; do echo "$f: $(stat -c '%U:%G %a' "$f")"; done
kt -list -keystore security/jks/node.jks -storetype JKS -storepass storepass > list.txt ||
  fail "keytool cannot open the keystore with its old password"
grep -E '^Your keystore|^(other|corp-root|node1),' list.txt | sed -E 's/, [A-Z][a-z]{2} [0-9]+, [0-9]{4},/,/; s/ +$//'
kt -list -v -keystore security/jks/node.jks -storetype JKS -storepass storepass -alias node1 |
  grep -E '^(Certificate chain length|Serial number):' | head -2 |
  sed "s/$(openssl x509 -in renewed.pem -noout -serial | cut -d= -f2 | tr A-F a-f | sed 's/^0*//')/RENEWED/"
[[ $(openssl x509 -in security/x509/node.cert -noout -serial) == $(openssl x509 -in renewed.pem -noout -serial) ]] ||
  fail "node.cert is not the renewed certificate"
[[ $(openssl pkey -in security/x509/node.key -pubout) == $(cat security/x509/node1.public_key.pem) ]] ||
  fail "public_key piece"
echo "node.cert, node.key and node1.public_key.pem match"

# A JKS whose key entry has its own key password (keytool -keypass): read with --key-password-file.
kt -importkeystore -noprompt -srckeystore "$pki/server.p12" -srcstoretype PKCS12 -srcstorepass changeit \
  -destkeystore keypass.jks -deststoretype JKS -deststorepass storepass -destkeypass keypass >/dev/null
echo keypass > keypass
cat > from_keystore.yaml <<YAML
certificate: {from: keypass.jks, password_file: storepass, key_password_file: keypass}
targets:
  - format: haproxy
    path: out/site.pem
YAML
mkdir out
"$CERTFLEET" deploy --spec from_keystore.yaml > /dev/null
openssl x509 -in out/site.pem -noout -subject
sed 's/key_password_file: keypass/key_password_file: wrongpass/' from_keystore.yaml > wrong_keypass.yaml
set +e
"$CERTFLEET" deploy --spec wrong_keypass.yaml > /dev/null 2> wrong_keypass.err
echo "wrong key password: exit $? $(sed "s|$PWD/||g" wrong_keypass.err)"
set -e
