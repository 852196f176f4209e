# The Puppet CA API's management routes with admin certificates, against the real server on 127.0.0.1:
# `certfleet admin-cert issue` makes an operator, a reader and an admin, allow-listed by serial. A client
# certificate of the same CA named like an admin is no admin (401); a reader may read statuses but not
# sign (403); the operator signs the real puppet agent's pending request with PUT certificate_status and
# the agent then downloads its certificate; certificate_statuses/any lists agents (and ?state=requested);
# DELETE drops a pending request; certificate_renewal (curl with the agent's certificate) gives a new
# serial with the same subject; PUT desired_state revoked revokes it (the served CRL lists it); admin
# actions are audited as admin:NAME; an expired, a revoked and a removed admin certificate get 401.
source "$SCENARIO/../deploy_fixtures.sh"
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
py=python3
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Puppet Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
$cf admin-cert issue alice --role operator --out-cert alice.pem --out-key alice.key --passphrase-file pw 2>/dev/null
$cf admin-cert issue rita --role reader --out-cert rita.pem --out-key rita.key --passphrase-file pw 2>/dev/null
$cf admin-cert issue ada --role admin --out-cert ada.pem --out-key ada.key --passphrase-file pw 2>/dev/null
$cf admin-cert issue brief --role admin --validity 1s --out-cert brief.pem --out-key brief.key --passphrase-file pw \
  2>/dev/null
# Not an admin: a client certificate of the same CA whose name is an admin's.
$cf cert issue --profile client --subject CN=alice --out-dir impostor --passphrase-file pw 2>/dev/null
$cf admin-cert list --json | $py -c '
import json, sys
for a in json.load(sys.stdin):
    print("admin-cert list:", a["name"], a["role"], a["state"] if a["name"] != "brief" else "(short-lived)")'
[[ $(stat -c %a alice.key) == 600 ]] || fail "alice.key is not 0600"
openssl x509 -in alice.pem -noout -ext extendedKeyUsage | grep -q 'TLS Web Client Authentication' || fail "no clientAuth"

port=$(free_port)
base="https://127.0.0.1:$port/puppet-ca/v1"
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD" > server.yaml
source "$SCENARIO/../serve_fixtures.sh"
start_serve "https://127.0.0.1:$port"

source "$SCENARIO/../puppet_fixtures.sh"
# as WHO METHOD PATH [curl args...]: prints the HTTP status; the body is in answer.txt.
as() {
  local who=$1 method=$2 path=$3
  shift 3
  local cert=()
  case $who in
    nobody) ;;
    impostor) cert=(--cert impostor/cert.pem --key impostor/key.pem) ;;
    *) cert=(--cert "$who.pem" --key "$who.key") ;;
  esac
  curl -sS -o answer.txt -w '%{http_code}' --cacert root.pem "${cert[@]}" -X "$method" "$@" "$base/$path"
}
state_of() { $py -c 'import json; print(json.load(open("answer.txt"))["state"])'; }

rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot1.log 2>&1 || rc=$?
echo "agent bootstrap while pending: exit $rc"
echo "no client certificate: HTTP $(as nobody GET certificate_status/agent1.example.test)"
echo "a client certificate named alice, not on the list: HTTP $(as impostor GET certificate_status/agent1.example.test)"
grep -o 'not an admin certificate of authority "main"' answer.txt
echo "reader reads the status: HTTP $(as rita GET certificate_status/agent1.example.test) $(state_of)"
echo "reader signs: HTTP $(as rita PUT certificate_status/agent1.example.test --data '{"desired_state":"signed"}')"
cat answer.txt; echo
echo "unknown desired state: HTTP $(as alice PUT certificate_status/agent1.example.test --data '{"desired_state":"gone"}')"
echo "operator signs: HTTP $(as alice PUT certificate_status/agent1.example.test -H 'Content-Type: application/json' \
  --data '{"desired_state":"signed"}')"
echo "signing again: HTTP $(as alice PUT certificate_status/agent1.example.test --data '{"desired_state":"signed"}') $(cat answer.txt)"
rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot2.log 2>&1 || rc=$?
echo "agent bootstrap after the operator signed: exit $rc"
agent_cert=agent1.example.test/ssl/certs/agent1.example.test.pem
agent_key=agent1.example.test/ssl/private_keys/agent1.example.test.pem
openssl verify -CAfile agent1.example.test/ssl/certs/ca.pem "$agent_cert" >/dev/null || fail "agent certificate"

echo "status once signed: HTTP $(as rita GET certificate_status/agent1.example.test)"
sha256=$(openssl x509 -in "$agent_cert" -noout -fingerprint -sha256 | cut -d= -f2)
sha1=$(openssl x509 -in "$agent_cert" -noout -fingerprint -sha1 | cut -d= -f2)
serial_hex=$(openssl x509 -in "$agent_cert" -noout -serial | cut -d= -f2)
$py - "$sha256" "$sha1" "$serial_hex" <<'PY'
import json, sys
s = json.load(open("answer.txt"))
sha256, sha1, serial = sys.argv[1:4]
print("state", s["state"], "| name", s["name"])
print("fingerprint is the SHA-256 of the DER:", s["fingerprint"] == sha256 == s["fingerprints"]["SHA256"] == s["fingerprints"]["default"])
print("SHA1 fingerprint:", s["fingerprints"]["SHA1"] == sha1, "| SHA512 length:", len(s["fingerprints"]["SHA512"].split(":")))
print("serial_number is the serial as a JSON integer:", s["serial_number"] == int(serial, 16))
print("dns_alt_names", s["dns_alt_names"], "| subject_alt_names", s["subject_alt_names"])
print("authorization_extensions", s["authorization_extensions"], "| times end in UTC:", s["not_before"].endswith("UTC") and s["not_after"].endswith("UTC"))
PY

# A second agent's request, queued with curl, for the list and DELETE.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout agent2.key -subj /CN=agent2.example.test \
  -out agent2.csr 2>/dev/null
curl -sS -o /dev/null --cacert root.pem -X PUT -H 'Content-Type: text/plain' --data-binary @agent2.csr \
  "$base/certificate_request/agent2.example.test"
list() {
  $py -c '
import json
print(" ".join(s["name"] + "=" + s["state"] for s in json.load(open("answer.txt")) if s["name"].startswith("agent")))'
}
echo "statuses: HTTP $(as rita GET certificate_statuses/any) $(list)"
echo "statuses requested: HTTP $(as rita GET 'certificate_statuses/any?state=requested') $(list)"
echo "reader deletes: HTTP $(as rita DELETE certificate_status/agent2.example.test)"
echo "operator deletes the pending request: HTTP $(as alice DELETE certificate_status/agent2.example.test)"
echo "status of the deleted request: HTTP $(as rita GET certificate_status/agent2.example.test) $(cat answer.txt)"

# certificate_renewal: the agent's own certificate over mTLS, a CSR with its subject and a new key.
openssl req -new -newkey rsa:2048 -nodes -keyout renewed.key -subj /CN=agent1.example.test -out renewed.csr 2>/dev/null
code=$(curl -sS -o renewed.pem -w '%{http_code}' --cacert root.pem --cert "$agent_cert" --key "$agent_key" \
  -X POST -H 'Content-Type: text/plain' --data-binary @renewed.csr "$base/certificate_renewal")
echo "certificate_renewal: HTTP $code"
new_serial=$(openssl x509 -in renewed.pem -noout -serial | cut -d= -f2)
[[ $new_serial != "$serial_hex" ]] && echo "renewed: a new serial" || fail "same serial"
[[ $(openssl x509 -in renewed.pem -noout -subject) == "$(openssl x509 -in "$agent_cert" -noout -subject)" ]] &&
  echo "renewed: the same subject ($(openssl x509 -in renewed.pem -noout -subject -nameopt RFC2253))" || fail "subject"
openssl verify -CAfile root.pem -untrusted agent1.example.test/ssl/certs/ca.pem renewed.pem >/dev/null && echo "renewed: verifies"
openssl req -new -key "$agent_key" -subj /CN=agent9.example.test -out foreign.csr 2>/dev/null
code=$(curl -sS -o foreign.txt -w '%{http_code}' --cacert root.pem --cert "$agent_cert" --key "$agent_key" \
  -X POST --data-binary @foreign.csr "$base/certificate_renewal")
echo "certificate_renewal of another subject: HTTP $code"
grep -o 'a renewal keeps the subject' foreign.txt
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert root.pem -X POST --data-binary @renewed.csr "$base/certificate_renewal")
echo "certificate_renewal without a client certificate: HTTP $code"

echo "operator revokes: HTTP $(as alice PUT certificate_status/agent1.example.test --data '{"desired_state":"revoked"}')"
echo "status after revocation: HTTP $(as rita GET certificate_status/agent1.example.test) $(state_of)"
curl -sS --cacert root.pem -o crls.pem "$base/certificate_revocation_list/ca"
openssl crl -in crls.pem -noout -text | grep -qi "Serial Number: 0*${serial_hex#0}" && echo "the served CRL lists agent1" ||
  fail "agent1's serial is not on the served CRL"
echo "revoking again: HTTP $(as alice PUT certificate_status/agent1.example.test --data '{"desired_state":"revoked"}') $(cat answer.txt)"
echo "unknown certname: HTTP $(as alice GET certificate_status/nobody.example.test) $(cat answer.txt)"
$cf ca audit --ca main --json --limit 100 | $py -c '
import json, sys
seen = sorted({(e["actor"], e["action"]) for e in json.load(sys.stdin) if e["actor"].startswith("admin:")})
for actor, action in seen:
    print("audited:", actor, action)'

# Admin certificates that no longer hold: expired, revoked (still on the list), taken off the list.
sleep 2
echo "expired admin: HTTP $(as brief GET certificate_status/agent1.example.test)"
grep -o 'expired' answer.txt | head -1
ada_serial=$(openssl x509 -in ada.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
echo "admin before revocation: HTTP $(as ada GET certificate_statuses/any)"
$cf cert revoke "$ada_serial" --passphrase-file pw >/dev/null
echo "revoked admin (still listed): HTTP $(as ada GET certificate_statuses/any)"
grep -o 'revoked' answer.txt | head -1
$cf admin-cert revoke rita --passphrase-file pw | sed "s/serial [0-9a-f]*/serial SERIAL/"
echo "removed reader: HTTP $(as rita GET certificate_statuses/any)"
$cf admin-cert list | awk 'NR > 1 {print "still listed:", $1, $2}'
grep -q 'PRIVATE KEY' server.log && fail "key in the log"
kill -TERM "$server_pid"; rc=0; wait "$server_pid" || rc=$?; echo "server stopped: exit $rc"
