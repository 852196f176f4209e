# Three nodes get their first certificates three ways and deploy them to the formats their services
# read (issue 15), real binaries on 127.0.0.1, one state directory each, `certfleet-agent --once`:
# edge1 by a one-time token (PEM files and an HAProxy bundle: `haproxy -c` accepts a configuration
# using it), db1 by a pending request an operator approves (a JKS keystore, alias = host name, that
# keytool lists, and a truststore), and web1 by a request the server autosigns (its name matches a glob;
# a PKCS#12 that openssl opens with the store password). Each deployed certificate verifies against the
# root with openssl and matches its key (0600). `node list` shows the three nodes, `cert list` the three
# certificates with who asked. A second pass is "not due" and changes no byte; `--force` on db1 renews:
# a new serial in the keystore under the same alias, the truststore entry kept.
cf=$CERTFLEET
node_agent=$(dirname "$cf")/certfleet-agent
py=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'changeit\n' > storepass
source "$SCENARIO/../serve_fixtures.sh"
serve_ca "CN=Fleet Root,O=certfleet" $'requests: {profile: peer}\nautosign: {globs: ["*.auto.example.com"]}\n'

# node DIR CN BOOTSTRAP TARGETS: DIR/agent.yaml and DIR/deploy.yaml for one certificate named "main"
# whose files are DIR/files/{cert,chain,key}.pem, deployed to TARGETS (a YAML flow list).
node() {
  mkdir -p "$1/files" "$1/out"
  cat > "$1/deploy.yaml" <<YAML
certificate: {cert: $PWD/$1/files/cert.pem, chain: $PWD/$1/files/chain.pem, key: $PWD/$1/files/key.pem}
targets: $4
YAML
  cat > "$1/agent.yaml" <<YAML
server: $url
ca_file: $PWD/root.pem
state_dir: $PWD/$1/state
bootstrap: $3
certificates:
  - {name: main, deploy: deploy.yaml, subject: CN=$2, sans: ["DNS:$2"]}
YAML
}
pass() {  # pass DIR [ARGS]: one agent pass; prints its exit status and report
  local rc=0
  $node_agent --config "$1/agent.yaml" --once "${@:2}" > "$1/pass.txt" 2> "$1/pass.err" || rc=$?
  echo "$1: exit $rc"
  stable < "$1/pass.txt" | sed 's/^/  /'
}
# check_files DIR: the certificate verifies against the root, its key matches and is 0600.
check_files() {
  openssl verify -CAfile root.pem -untrusted "$1/files/chain.pem" "$1/files/cert.pem" >/dev/null ||
    fail "$1: openssl verify"
  [[ $(openssl x509 -in "$1/files/cert.pem" -noout -pubkey) == "$(openssl pkey -in "$1/files/key.pem" -pubout)" ]] ||
    fail "$1: key and certificate do not match"
  echo "$1: openssl verify OK, key matches, key mode $(stat -c '%a' "$1/files/key.pem")"
}
# stable: request ids, serials, deployment ids and dates out of a report
stable() {
  sed -E 's/(request|approve) [0-9]+/\1 ID/g; s/serial [0-9A-Fa-f]+/serial S/g; s/renewed [0-9a-f]+ -> [0-9a-f]+/renewed S1 -> S2/g; s/\([0-9]{8}T[0-9]{6}Z-[0-9a-f]+\)/(DEPLOYMENT)/g
    s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z/DATE/g; s/token:[0-9a-f]+/token:HASH/g; s/request:[0-9]+/request:ID/g'
}
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
tree_sum() { find "$1/files" "$1/out" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum; }

echo "== edge1: a one-time token; PEM files and an HAProxy bundle"
$cf token create --name edge1.example.com --san DNS:edge1.example.com > edge1.token 2>/dev/null
mkdir -p edge1/out/pem
node edge1 edge1.example.com "{token_file: $PWD/edge1.token}" \
  "[{format: pem, path: $PWD/edge1/out/pem}, {format: haproxy, path: $PWD/edge1/out/edge1.pem}]"
pass edge1
check_files edge1
printf 'defaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:%s ssl crt %s\n' \
  "$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" \
  "$PWD/edge1/out/edge1.pem" > haproxy.cfg
haproxy -c -f haproxy.cfg >/dev/null 2>haproxy.err || { cat haproxy.err >&2; fail "haproxy -c"; }
echo "haproxy -c: the configuration with edge1's bundle is valid"
[[ $(serial_of edge1/out/edge1.pem) == "$(serial_of edge1/files/cert.pem)" ]] || fail "the bundle holds another certificate"
echo "PEM directory: $(ls edge1/out/pem | tr '\n' ' ')"

echo "== db1: a pending request, approved by an operator; a JKS keystore and a truststore"
node db1 db1.example.com "{pending_request: true}" \
  "[{format: jks, path: $PWD/db1/out/db1.jks, password_file: $PWD/storepass, alias: db1.example.com}, {format: truststore, path: $PWD/db1/out/truststore.jks, password_file: $PWD/storepass}]"
pass db1
$cf request list --json | $py -c 'import json,sys; print("pending requests:", [r["name"] for r in json.load(sys.stdin)])'
$cf request approve db1.example.com --passphrase-file pw 2>&1 | stable
pass db1
check_files db1
keytool -list -keystore db1/out/db1.jks -storepass changeit > db1/keytool.txt 2>&1 || { cat db1/keytool.txt >&2; fail "keytool db1.jks"; }
grep -E '^db1\.example\.com, .*PrivateKeyEntry' db1/keytool.txt >/dev/null || fail "no key entry db1.example.com: $(cat db1/keytool.txt)"
echo "keytool: $(grep -c PrivateKeyEntry db1/keytool.txt) key entry, alias db1.example.com"
keytool -list -keystore db1/out/truststore.jks -storepass changeit > db1/trust.txt 2>&1 || fail "keytool truststore"
echo "truststore: $(grep -c trustedCertEntry db1/trust.txt) trusted entries"

echo "== web1: a request the server autosigns; a PKCS#12 file"
node web1 web1.auto.example.com "{pending_request: true}" \
  "[{format: pkcs12, path: $PWD/web1/out/web1.p12, password_file: $PWD/storepass}]"
pass web1
check_files web1
openssl pkcs12 -in web1/out/web1.p12 -passin file:storepass -nokeys -clcerts 2>/dev/null |
  openssl x509 -noout -serial | cut -d= -f2 > web1/p12.serial || fail "openssl pkcs12 cannot open web1.p12"
[[ $(cat web1/p12.serial) == "$(serial_of web1/files/cert.pem)" ]] || fail "web1.p12 holds another certificate"
openssl pkcs12 -in web1/out/web1.p12 -passin file:storepass -nocerts -nodes 2>/dev/null | openssl pkey -pubout > web1/p12.pub
[[ $(cat web1/p12.pub) == "$(openssl pkey -in web1/files/key.pem -pubout)" ]] || fail "web1.p12 holds another key"
echo "openssl pkcs12: web1.p12 holds web1's certificate and key"

echo "== the CA host sees the fleet"
$cf node list --json | $py -c 'import json,sys
for n in sorted(json.load(sys.stdin), key=lambda n: n["name"]): print(" ", n["name"])'
$cf cert list --json | $py -c 'import json,sys
for c in sorted(json.load(sys.stdin), key=lambda c: c["subject"]): print(" ", c["subject"], "requested by", c["requester"])' | stable

echo "== a second pass: nothing due, nothing written"
declare -A before
for n in edge1 db1 web1; do before[$n]=$(tree_sum $n); done
for n in edge1 db1 web1; do
  pass $n
  [[ $(tree_sum $n) == "${before[$n]}" ]] || fail "$n: a pass with nothing due changed files"
done
echo "every deployed file unchanged"

echo "== db1 --force: a renewal in place"
old=$(serial_of db1/files/cert.pem)
pass db1 --force
new=$(serial_of db1/files/cert.pem)
[[ $new != "$old" ]] || fail "db1 --force kept serial $old"
check_files db1
keytool -list -v -alias db1.example.com -keystore db1/out/db1.jks -storepass changeit 2>/dev/null |
  grep -i "^Serial number: 0*$(sed 's/^0*//' <<<"$new")$" >/dev/null ||
  fail "the keystore's db1.example.com entry is not serial $new"  # keytool drops leading zeros
keytool -list -keystore db1/out/db1.jks -storepass changeit 2>/dev/null | grep -c PrivateKeyEntry | sed 's/^/keystore key entries: /'
echo "the keystore entry db1.example.com holds the new serial"
