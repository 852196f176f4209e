# Seed 003 with the real puppet agent 7 against certfleet's Puppet CA API (/puppet-ca/v1) on 127.0.0.1:
# `puppet ssl bootstrap` downloads the CA bundle and the CRLs (one per CA: the default
# certificate_revocation=chain), submits its CSR, which waits in certfleet's one request queue
# (`certfleet request list` shows it, source puppet); `certfleet request approve NAME` signs it and the
# agent's next bootstrap downloads it; `puppet ssl verify` passes. A name matching the autosign globs is
# signed at once. After `certfleet cert revoke`, the CRL the server serves lists the agent, and after a
# CRL refresh `puppet ssl verify` fails. A CSR whose name differs from the URL's is refused (400).
source "$SCENARIO/../deploy_fixtures.sh"
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_STATE_DIR="$PWD/state"
cf=$CERTFLEET
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Puppet Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
port=$(free_port)
cat > server.yaml <<YAML
listen: 127.0.0.1:$port
passphrase_file: $PWD/pw
autosign:
  globs: ["*.auto.example.test"]
YAML
$cf ca export --root-only --out root.pem 2>/dev/null
source "$SCENARIO/../serve_fixtures.sh"
start_serve "https://127.0.0.1:$port"

# puppet_agent NAME SUBCOMMAND ARGS...: the real agent with everything under ./NAME
source "$SCENARIO/../puppet_fixtures.sh"

rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot1.log 2>&1 || rc=$?
echo "bootstrap while pending: exit $rc"
grep -o 'has not been signed yet' boot1.log | head -1
$cf request list --json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["name"] == "agent1.example.test"]
print("request list:", len(r), "pending" if r and r[0]["state"] == "pending" else r)'
$cf request approve agent1.example.test --passphrase-file pw > /dev/null
rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot2.log 2>&1 || rc=$?
echo "bootstrap after approve: exit $rc"
grep -o 'Completed SSL initialization' boot2.log
rc=0; puppet_agent agent1.example.test verify > verify1.log 2>&1 || rc=$?
echo "puppet ssl verify: exit $rc"
grep -c 'Verified CA certificate' verify1.log | sed 's/^/verified CA certificates: /'
grep -o "Verified client certificate 'CN=agent1.example.test'" verify1.log
openssl verify -CAfile agent1.example.test/ssl/certs/ca.pem agent1.example.test/ssl/certs/agent1.example.test.pem

# Autosign by glob: signed on submission, the first bootstrap completes.
rc=0; puppet_agent web1.auto.example.test bootstrap --waitforcert 0 > boot3.log 2>&1 || rc=$?
echo "autosigned bootstrap: exit $rc"

# A CSR sent to another certname's URL: 400 with puppetserver's words, nothing queued.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -subj /CN=other.example.test \
  -out other.csr 2>/dev/null
code=$(curl -sS -o mismatch.txt -w '%{http_code}' --cacert root.pem -X PUT -H 'Content-Type: text/plain' \
  --data-binary @other.csr "https://127.0.0.1:$port/puppet-ca/v1/certificate_request/agent9.example.test")
echo "name mismatch: HTTP $code $(cat mismatch.txt)"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert root.pem "https://127.0.0.1:$port/puppet-ca/v1/certificate/agent9.example.test")
echo "certificate of an unknown agent: HTTP $code"

# Revoke agent1: the served CRL lists it; after a CRL refresh the agent's verify fails.
serial=$(openssl x509 -in agent1.example.test/ssl/certs/agent1.example.test.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
$cf cert revoke "$serial" --reason keyCompromise --passphrase-file pw > /dev/null
curl -sS --cacert root.pem -o crls.pem "https://127.0.0.1:$port/puppet-ca/v1/certificate_revocation_list/ca"
echo "CRLs served: $(grep -c 'BEGIN X509 CRL' crls.pem)"
openssl crl -in crls.pem -noout -text | grep -qi "Serial Number: 0*${serial#0}" && echo "the served CRL lists agent1" ||
  fail "agent1's serial is not on the served CRL"
last=$(curl -sS -D - -o /dev/null --cacert root.pem "https://127.0.0.1:$port/puppet-ca/v1/certificate_revocation_list/ca" |
  tr -d '\r' | sed -n 's/^[Ll]ast-[Mm]odified: //p')
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert root.pem -H "If-Modified-Since: $last" \
  "https://127.0.0.1:$port/puppet-ca/v1/certificate_revocation_list/ca")
echo "If-Modified-Since the CRL's Last-Modified: HTTP $code"
puppet_agent agent1.example.test bootstrap --crl_refresh_interval 1s --waitforcert 0 > boot4.log 2>&1 || true
rc=0; puppet_agent agent1.example.test verify > verify2.log 2>&1 || rc=$?
echo "puppet ssl verify after revocation: exit $rc"
grep -oi 'revoked' verify2.log | head -1

# Seed 003 step 6, a regenerated agent: `puppet ssl clean --localca` drops its key, certificate and CA
# files; bootstrapping again sends a new request for agent1 (its old certificate is revoked), which waits
# for an operator, is approved, and the agent verifies with its new certificate.
puppet_agent agent1.example.test clean --localca > clean.log 2>&1
[[ ! -e agent1.example.test/ssl/certs/agent1.example.test.pem ]] || fail "puppet ssl clean left the certificate"
rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot5.log 2>&1 || rc=$?
echo "bootstrap of the cleaned agent: exit $rc"
grep -o 'has not been signed yet' boot5.log | head -1
$cf request approve agent1.example.test --passphrase-file pw > /dev/null
rc=0; puppet_agent agent1.example.test bootstrap --waitforcert 0 > boot6.log 2>&1 || rc=$?
echo "bootstrap after approve: exit $rc"
rc=0; puppet_agent agent1.example.test verify > verify3.log 2>&1 || rc=$?
echo "puppet ssl verify with the new certificate: exit $rc"
renewed=$(openssl x509 -in agent1.example.test/ssl/certs/agent1.example.test.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
[[ $renewed != "$serial" ]] || fail "the cleaned agent got its revoked certificate back"
echo "a new certificate, not the revoked one"
