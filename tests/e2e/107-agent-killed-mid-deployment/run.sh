# Issue 15's "agent kill -9 in the middle of a deployment, then restarted", with real processes: a node's
# agent (certfleet-agent --once --force) renews and is killed with SIGKILL while its deployment's reload
# hook runs (the new files are in place, the journal says the deployment is open). The next pass, with
# the server down, first has the deploy engine recover the interrupted deployment: every file (the
# certificate files and the PEM target) is back byte for byte with its mode, and the pass fails (1)
# saying the server cannot be reached. With the server back the next pass renews and deploys.
source "$SCENARIO/../deploy_fixtures.sh"
cf=$CERTFLEET
node_agent=$(dirname "$cf")/certfleet-agent
source "$SCENARIO/../serve_fixtures.sh"
serve_ca "CN=Kill Root,O=certfleet"

# The reload hook says it started, then waits (bounded: 30 s) until the test lets it finish.
mkdir -p node1 out
cat > node1.yaml <<YAML
certificate: {cert: node1/cert.pem, chain: node1/chain.pem, key: node1/key.pem}
targets: [{format: pem, path: out}]
on_change:
  - command: [sh, -c, 'touch $PWD/hook.started; for i in \$(seq 600); do [ -e $PWD/hook.release ] && exit 0; sleep 0.05; done; exit 1']
YAML
$cf token create --name node1.example.com --san DNS:node1.example.com > node.token 2>/dev/null
cat > agent.yaml <<YAML
server: $url
ca_file: $PWD/root.pem
state_dir: $PWD/agent-state
bootstrap: {token_file: $PWD/node.token}
certificates:
  - {name: node1, deploy: node1.yaml, subject: CN=node1.example.com, sans: ["DNS:node1.example.com"]}
YAML
touch hook.release
$node_agent --config agent.yaml --once > pass1.txt || { cat pass1.txt; fail "first enrollment"; }
echo "enrolled: $(sed -E 's/serial [0-9a-f]+.*/serial S .../' pass1.txt)"
files=(node1/cert.pem node1/chain.pem node1/key.pem out/cert.pem out/chain.pem out/fullchain.pem out/key.pem out/ca.pem)
snapshot "${files[@]}" > before.txt
old=$(serial_of node1/cert.pem)

echo "== killed with SIGKILL while the reload hook runs"
rm -f hook.release hook.started
$node_agent --config agent.yaml --once --force > pass2.txt 2>&1 &
agent_pid=$!
for _ in $(seq 600); do [[ -e hook.started ]] && break; sleep 0.05; done  # bounded: 30 s
[[ -e hook.started ]] || { cat pass2.txt; fail "the hook never started"; }
killed=$(serial_of node1/cert.pem)
[[ $killed != "$old" ]] || fail "the new certificate was not in place when the hook ran"
kill -KILL "$agent_pid"
wait "$agent_pid" 2>/dev/null && fail "the agent was not killed" || true
touch hook.release  # the orphaned hook may finish now
echo "killed mid-deployment: the new certificate was in place, the old one in the backup"
snapshot "${files[@]}" | cmp -s - before.txt && fail "nothing had changed before the kill"
ls agent-state/deployments/*.json > /dev/null 2>&1 || fail "no deployment journal in agent-state/deployments"

echo "== restarted with the server down: recovered first, then the renewal fails and says why"
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
rc=0; $node_agent --config agent.yaml --once > pass3.txt 2> pass3.err || rc=$?
echo "exit $rc"
sed -E "s|$url|URL|g; s/port [0-9]+/port P/g; s/after [0-9]+ ms/after N ms/g" pass3.txt
snapshot "${files[@]}" | diff before.txt - >&2 || fail "the files are not back byte for byte after the recovery"
[[ $(serial_of node1/cert.pem) == "$old" ]] || fail "node1/cert.pem is not the old certificate"
echo "every file back byte for byte, owner and mode kept"
$cf deploy history --state-dir agent-state --json | python3 -c 'import json,sys
e=[e for e in json.load(sys.stdin) if e["origin"] == "agent renew node1"][0]
print("deploy history:", e["origin"] + ":", e["state"], "(" + e["failure"] + "), recovered by", e["recovered_by"])'

$cf deploy history --state-dir agent-state --json | python3 -c 'import json,sys
h=[e for e in json.load(sys.stdin) if e["origin"] == "agent renew node1"]
sys.exit(0 if len(h) == 1 and h[0]["state"] == "rolled_back" and h[0]["failed_step"] == "interrupted" else 1)' ||
  fail "the deploy history does not show the interrupted deployment rolled back"
echo "== the server back: the next pass renews and deploys"
start_serve "$url"
rc=0; $node_agent --config agent.yaml --once > pass4.txt 2> pass4.err || rc=$?
echo "exit $rc: $(sed -E 's/renewed [0-9a-f]+ -> [0-9a-f]+, deployed \([^)]*\); next renewal .*/renewed S1 -> S2, deployed/' pass4.txt)"
new=$(serial_of node1/cert.pem)
[[ $new != "$old" && $new != "$killed" ]] || fail "not renewed again: $new"
openssl verify -CAfile root.pem -untrusted node1/chain.pem node1/cert.pem > /dev/null || fail "openssl verify"
cmp -s node1/cert.pem out/cert.pem || fail "the target does not hold the new certificate"
echo "openssl verify OK; the target holds the new certificate"
