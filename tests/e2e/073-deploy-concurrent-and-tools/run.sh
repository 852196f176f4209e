# Two deployments of the same target at once: the second fails clearly (exit 4, naming the holder) and
# neither undoes the other; bundle and external import replace files through the same engine (owner,
# group and mode kept, backups in the state directory); the examples in examples/deploy run.
source "$SCENARIO/../deploy_fixtures.sh"
mkdir svc
echo "old" > svc/node.cert && chown root:daemon svc/node.cert && chmod 0440 svc/node.cert
renew first
renew second
mkfifo release
spec() {  # spec CERT HOOK
  cat <<YAML
certificate: {cert: $1, key: $pki/server.key, chain: $pki/chain.pem}
targets:
  - format: files
    files: {cert: svc/node.cert}
on_change:
  - command: [sh, -c, '$2']
    timeout: 60s
YAML
}
spec first.pem 'echo started > started; read line < release' > slow.yaml
spec second.pem 'true' > fast.yaml
"$CERTFLEET" deploy --spec slow.yaml > slow.out 2>&1 &
slow=$!
for _ in $(seq 300); do [[ -e started ]] && break; kill -0 $slow 2>/dev/null || break; sleep 0.1; done
[[ -e started ]] || fail "the first deployment never reached its hook: $(cat slow.out)"
set +e
"$CERTFLEET" deploy --spec fast.yaml > fast.out 2> fast.err
echo "second deployment while the first runs its hook: exit $?"
set -e
grep -o 'another deployment is writing it (deployment [0-9TZ]*-[0-9a-f]* (pid [0-9]*)' fast.err | sed -E 's/deployment [0-9TZ]+-[0-9a-f]+ \(pid [0-9]+/deployment ID (pid N/'
[[ $(serial_of svc/node.cert) == "$(serial_of first.pem)" ]] || fail "the second deployment touched the target"
echo done > release
wait $slow
sed -n 1p slow.out | sed -E 's/[0-9TZ]+-[0-9a-f]+/ID/'
[[ $(serial_of svc/node.cert) == "$(serial_of first.pem)" ]] || fail "the first deployment was undone"
echo "svc/node.cert: $(stat -c '%U:%G %a' svc/node.cert), the first deployment's certificate"

# bundle replacing a file: owner, group and mode kept; the backup is not beside it.
cat "$pki/server.pem" "$pki/chain.pem" "$pki/server.key" > svc/site.pem
chown root:daemon svc/site.pem && chmod 0440 svc/site.pem
cp -p svc/site.pem site.before
"$CERTFLEET" bundle --cert first.pem --key "$pki/server.key" --chain "$pki/chain.pem" --format haproxy \
  --out svc/site.pem | sed -E "s|\(previous kept as [^)]*/backups/[0-9TZ]+-[0-9a-f]+$PWD/svc/site.pem\)|(previous kept as STATE/backups/ID$PWD/svc/site.pem)|; s|$PWD|/WORK|g"
echo "svc/site.pem: $(stat -c '%U:%G %a' svc/site.pem); svc holds: $(ls -A svc | tr '\n' ' ')"
cmp -s state/backups/*"$PWD/svc/site.pem" site.before || fail "bundle's backup differs"

# bundle --import-into a JKS with a wrong store password: nothing touched.
keytool -genkeypair -keystore svc/node.jks -storetype JKS -storepass storepass -keypass storepass -alias other \
  -keyalg EC -groupname secp256r1 -dname CN=other -validity 30 >/dev/null 2>&1
chown root:daemon svc/node.jks && chmod 0440 svc/node.jks
cp -p svc/node.jks jks.before
echo wrong > wrongpass
set +e
"$CERTFLEET" bundle --cert first.pem --key "$pki/server.key" --chain "$pki/chain.pem" --format jks --alias node1 \
  --password-file wrongpass --import-into svc/node.jks > /dev/null 2> jks.err
echo "bundle --import-into with a wrong store password: exit $?"
set -e
cmp -s svc/node.jks jks.before || fail "a refused import changed the keystore"
echo storepass > storepass
"$CERTFLEET" bundle --cert first.pem --key "$pki/server.key" --chain "$pki/chain.pem" --format jks --alias node1 \
  --password-file storepass --import-into svc/node.jks --replace > /dev/null
echo "svc/node.jks: $(stat -c '%U:%G %a' svc/node.jks), $(keytool -list -keystore svc/node.jks -storepass storepass 2>/dev/null | grep -c PrivateKeyEntry) key entries"

bash "$SCENARIO/../../../examples/deploy/run-examples.sh" "$CERTFLEET" > examples.out 2>&1 || { cat examples.out; fail "examples"; }
grep -E '^(== |deployment|unchanged|dry run)' examples.out | sed -E 's/[0-9TZ]+-[0-9a-f]{6}/ID/'
tail -3 examples.out | sed -E 's/, [A-Z][a-z]{2} [0-9]+, [0-9]{4},/,/; s/ +$//'
