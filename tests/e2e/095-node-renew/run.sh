# Seed 001's remote renew: the agent daemon (certfleet-agent, the node package's executable) checks in
# and holds the server's actions long-poll; `certfleet node list` shows it connected with the seed's
# certificate fields; `certfleet node renew node1` from the CA host reaches it at once: it renews over
# mTLS, deploys to a live HAProxy (which then serves the new serial) and reports back, so the command
# exits 0 with the node's report. An unknown node is 4, a node whose agent stopped is "No connection
# with node1" (5), and a node that never answers makes the wait end at --timeout (5) with the action
# left queued.
source "$SCENARIO/../deploy_fixtures.sh"
source "$SCENARIO/../serve_fixtures.sh"
cf=$CERTFLEET
py=/usr/bin/python3
serve_ca "CN=Fleet Root,O=certfleet"
ca_port=$port
$cf cert issue --profile peer --subject CN=node1 --san DNS:node1,IP:127.0.0.1 --out-dir live \
  --passphrase-file pw 2>/dev/null

mkdir certs
cat live/cert.pem live/chain.pem live/key.pem > certs/node1.pem
edge_port=$(free_port)
start_haproxy "$PWD/certs" "$edge_port"
agent_pid=
trap 'kill "$hp" "$server_pid" $agent_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
cat > reload.sh <<SH
n=\$(grep -c "Loading success" haproxy.log)
kill -USR2 $hp
for _ in \$(seq 1 200); do
  [ "\$(grep -c "Loading success" haproxy.log)" -gt "\$n" ] && exit 0
  sleep 0.05
done
exit 1
SH
cat > node1.yaml <<YAML
certificate: {cert: live/cert.pem, chain: live/chain.pem, key: live/key.pem}
targets:
  - {format: haproxy, path: certs/node1.pem}
on_change:
  - command: [sh, $PWD/reload.sh]
health_checks:
  - {tls: "127.0.0.1:$edge_port", sni: node1, retries: 30, interval: 1s}
YAML
printf 'server: https://127.0.0.1:%s\nca_file: root.pem\nstate_dir: state\ncertificates:\n  - name: edge\n    deploy: node1.yaml\n' \
  "$ca_port" > agent.yaml

rc=0; $cf node renew node1 > unknown.txt 2>&1 || rc=$?; echo "node renew before the node ever polled: exit $rc"
grep -o 'No node node1 has reached authority "main"' unknown.txt

node_agent=$(dirname "$cf")/certfleet-agent
$node_agent --config agent.yaml --json > agent.log 2> agent.err &
agent_pid=$!
# Bounded wait for the state "node1 is connected" (its first pass, check-in and poll).
for _ in $(seq 1 200); do
  $cf node list --json > nodes.json
  $py -c 'import json,sys; n=json.load(open("nodes.json")); sys.exit(0 if n and n[0]["connected"] and n[0]["certificates"] else 1)' && break
  kill -0 "$agent_pid" 2>/dev/null || { cat agent.err; fail "agent exited"; }
  sleep 0.05
done
$py - <<'PY'
import json
n = json.load(open("nodes.json"))[0]
c = n["certificates"][0]
print("node list:", n["name"], "connected" if n["connected"] else "NOT connected", "| agent", n["agent_version"] != "")
print("  certificate", c["name"], c["state"], "| fields:", ", ".join(k for k in
      ("subject", "issuer", "key", "signature_algorithm", "activated", "expires", "sha1_fingerprint") if c.get(k)))
PY
old=$(serial_of live/cert.pem)
[[ $($cf node list --json | $py -c 'import json; print(json.load(__import__("sys").stdin)[0]["certificates"][0]["serial"].lstrip("0"))') == "$old" ]] ||
  fail "node list does not show the serial in place"
$cf node list | grep -E '^node1: connected' | sed -E 's/last seen .*/last seen TIME, .../'
# /metrics counts the node as connected and its poll as held (bounded wait: the count is copied each second).
for _ in $(seq 1 100); do
  curl -sS --cacert root.pem "https://127.0.0.1:$ca_port/metrics" > metrics.txt
  grep -qE '^certfleet_held_polls [1-9]' metrics.txt && break
  sleep 0.05
done
echo "metrics: $(grep -E '^certfleet_(connected_nodes|held_polls|pending_requests) ' metrics.txt | sort | tr '\n' ' ')"

start=$(date +%s)
rc=0; $cf node renew node1 --timeout 90s > renew.txt || rc=$?
echo "node renew node1: exit $rc"
elapsed=$(( $(date +%s) - start ))
grep -oE 'renew action [0-9]+ on node1: succeeded' renew.txt | sed -E 's/[0-9]+/N/'
new=$(serial_of live/cert.pem)
[[ $new != "$old" ]] || fail "live/cert.pem still holds the old certificate"
grep -qE "renewed 0*$old -> 0*$new" renew.txt || fail "the report does not name both serials: $(cat renew.txt)"
echo "the node's report names the old and new serials"
echo | openssl s_client -connect "127.0.0.1:$edge_port" -servername node1 2>/dev/null | openssl x509 > served.pem
[[ $(serial_of served.pem) == "$new" ]] || fail "haproxy serves $(serial_of served.pem), not $new"
echo "haproxy serves the renewed serial"
(( elapsed < 60 )) || fail "the renew took ${elapsed}s: the long-poll did not deliver it"
# The next check-in shows the new serial; the audit log names who asked and what the node said.
for _ in $(seq 1 200); do
  [[ $($cf node list --json | $py -c 'import json,sys; print(json.load(sys.stdin)[0]["certificates"][0]["serial"].lstrip("0"))') == "$new" ]] && break
  sleep 0.05
done
[[ $($cf node list --json | $py -c 'import json,sys; print(json.load(sys.stdin)[0]["certificates"][0]["serial"].lstrip("0"))') == "$new" ]] ||
  fail "node list does not show the new serial"
echo "node list shows the new serial"
$cf ca audit --json > audit.json
$py -c '
import json
a = json.load(open("audit.json"))
actions = [e["action"] for e in a]
print("audit:", "node.action.queue" in actions, "node.action" in actions)'

# --no-wait queues and returns; the node still does it.
$cf node renew node1 --no-wait --json | $py -c 'import json,sys; d=json.load(sys.stdin); print("--no-wait:", d["state"])'

# A node whose agent stopped: no connection (its last poll is older than two wait periods) - simulated by
# stopping the agent and moving the recorded poll back in time, since waiting 2 minutes is not a test.
kill "$agent_pid"; wait "$agent_pid" 2>/dev/null; agent_pid=
# Its held poll goes with it at once, not when the wait runs out (bounded wait: the gauge is copied each
# second; the agent's wait is 60 s).
for _ in $(seq 1 100); do
  curl -sS --cacert root.pem "https://127.0.0.1:$ca_port/metrics" > metrics.txt
  grep -qE '^certfleet_held_polls 0$' metrics.txt && break
  sleep 0.05
done
echo "after the agent stopped: $(grep -E '^certfleet_held_polls ' metrics.txt)"
$py -c '
import sqlite3
db = sqlite3.connect("certfleet.db")
db.execute("UPDATE nodes SET last_poll_at = last_poll_at - 600")
db.commit()'
rc=0; $cf node renew node1 > gone.txt 2>&1 || rc=$?; echo "node renew after the agent stopped: exit $rc"
grep -o 'No connection with node1' gone.txt
