# certfleet deploy with a real HAProxy serving a `crt <dir>`: a renewed certificate goes in with a reload
# hook, the TLS health check sees the new serial, no backup lands in the crt directory, the file keeps
# root:daemon 0440, an unchanged deployment runs no hook, and `deploy rollback` brings the old one back.
source "$SCENARIO/../deploy_fixtures.sh"
mkdir certs
cat "$pki/server.pem" "$pki/chain.pem" "$pki/server.key" > certs/site.pem
chown root:daemon certs/site.pem
chmod 0440 certs/site.pem
cp -p certs/site.pem original.pem
port=$(free_port)
start_haproxy "$PWD/certs" "$port"
trap 'kill "$hp" 2>/dev/null || true; wait "$hp" 2>/dev/null || true' EXIT
old_serial=$(served_serial "$port")
[[ $old_serial == "$(serial_of "$pki/server.pem")" ]] || fail "haproxy serves $old_serial"
renew renewed
new_serial=$(serial_of renewed.pem)

cat > spec.yaml <<YAML
certificate:
  cert: renewed.pem
  key: $pki/server.key
  chain: $pki/chain.pem
targets:
  - format: haproxy
    path: certs/site.pem
on_change:
  - command: [sh, -c, 'echo "\$CERTFLEET_DEPLOY_PHASE \$CERTFLEET_CHANGED_FILES" >> hooks.log; kill -USR2 $hp']
    timeout: 10s
health_checks:
  - tls: 127.0.0.1:$port
    sni: node1.example.com
    retries: 30
    interval: 1s
YAML

"$CERTFLEET" deploy --spec spec.yaml --dry-run > dry.txt
head -1 dry.txt
grep -q "replace   $PWD/certs/site.pem  root:daemon 0440" dry.txt || { cat dry.txt; fail "dry run line"; }
grep -q "old: O=certfleet tests,CN=node1.example.com serial $(openssl x509 -in "$pki/server.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)" dry.txt ||
  { cat dry.txt; fail "dry run old certificate"; }
cmp -s certs/site.pem original.pem || fail "dry run changed the target"

"$CERTFLEET" deploy --spec spec.yaml --json > deploy.json
py() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
echo "deploy: $(py deploy.json 'd["outcome"]'), steps: $(py deploy.json '" ".join(s["step"] + ("=ok" if s["passed"] else "=FAILED") for s in d["steps"])')"
[[ $(served_serial "$port") == "$new_serial" ]] || fail "haproxy does not serve the new serial"
echo "haproxy serves the renewed serial"
# (the detail prints the serial as the certificate has it; serial_of strips leading zeros)
[[ $(py deploy.json 'd["steps"][1]["detail"].split("serves serial ")[1].split(",")[0].lstrip("0")') == "$new_serial" ]] ||
  fail "health check detail: $(py deploy.json 'd["steps"][1]["detail"]')"
echo "crt dir holds: $(ls -A certs)"
echo "site.pem: $(stat -c '%U:%G %a' certs/site.pem)"
id=$(py deploy.json 'd["id"]')
cmp -s "state/backups/$id$PWD/certs/site.pem" original.pem || fail "backup differs from the original"
echo "backup: $(stat -c '%U:%G %a' "state/backups/$id$PWD/certs/site.pem"), same bytes as before"
[[ $(stat -c %Y "state/backups/$id$PWD/certs/site.pem") == $(stat -c %Y original.pem) ]] || fail "backup mtime"
grep -q "ALERT" haproxy.log && { cat haproxy.log; fail "haproxy alert"; }

"$CERTFLEET" deploy --spec spec.yaml | sed "s|$PWD|/WORK|"
echo "hook runs: $(wc -l < hooks.log)"

"$CERTFLEET" deploy history | sed -E 's/^[0-9TZ]+-[0-9a-f]+ +/ID /; s|deploy --spec .*|deploy --spec spec.yaml|'
"$CERTFLEET" deploy rollback "$id" | head -1 | sed -E 's/deployment [0-9TZ]+-[0-9a-f]+:/deployment:/'
cmp -s certs/site.pem original.pem || fail "rollback did not restore the original bytes"
echo "after rollback: $(stat -c '%U:%G %a' certs/site.pem), original bytes"
for _ in $(seq 100); do [[ $(served_serial "$port") == "$old_serial" ]] && break; sleep 0.1; done
[[ $(served_serial "$port") == "$old_serial" ]] || fail "haproxy does not serve the old serial after rollback"
echo "haproxy serves the original serial again"
tail -1 hooks.log | sed "s|$PWD/||"
