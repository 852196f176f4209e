# Operations by name (issue 15): the server may ask a node to run an operation that the node's own
# agent.yaml defines (`operations: {NAME: [argv...]}`), never a command it sends. A server on 127.0.0.1
# and node1's agent: `agent --once` checks in (node list shows node1 as seen) and, with the server down,
# still exits 0 for a certificate that is fine (a warning says there was no check-in); then the daemon
# holds the long-poll and `certfleet node run node1 NAME` runs node1's own operation within seconds:
# exit 0 when it succeeds, 1 when it ran and failed (the report has its exit status and output tail, not
# its argv), 4 for a name node1 does not define (refused, nothing ran), 2 for a name that cannot be one,
# and 5 once the agent stopped (No connection with node1).
source "$SCENARIO/../deploy_fixtures.sh"
source "$SCENARIO/../serve_fixtures.sh"
cf=$CERTFLEET
py=/usr/bin/python3
serve_ca "CN=Fleet Root,O=certfleet"
ca_port=$port
$cf cert issue --profile peer --subject CN=node1 --san DNS:node1,IP:127.0.0.1 --out-dir live \
  --passphrase-file pw 2>/dev/null
agent_pid=
trap 'kill $server_pid $agent_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT

mkdir out
printf 'certificate: {cert: live/cert.pem, chain: live/chain.pem, key: live/key.pem}\ntargets: [{format: pem, path: out/node1.pem}]\n' > node1.yaml
write_agent() {  # write_agent FILE PORT
  cat > "$1" <<YAML
server: https://127.0.0.1:$2
ca_file: root.pem
state_dir: state
operation_timeout: 20s
operations:
  touch-marker: [sh, -c, 'echo ran >> $PWD/marker; echo marker written']
  fail-op: [sh, -c, 'echo checking --password=s3cret > /dev/null; echo disk full >&2; exit 3']
certificates:
  - name: edge
    deploy: node1.yaml
YAML
}
write_agent agent.yaml "$ca_port"

# --once: one pass and a check-in, no long-poll.
rc=0; $cf agent --config agent.yaml --once > once.txt 2> once.err || rc=$?
echo "agent --once: exit $rc"
! grep -q 'no check-in' once.err || fail "agent --once did not check in: $(cat once.err)"
$cf node list --json > nodes.json
$py - <<'PY'
import json
n = json.load(open("nodes.json"))
assert len(n) == 1, n
n = n[0]
print("node list after --once:", n["name"], "| seen" if n["last_seen"] != "never" else "| NEVER seen",
      "| connected" if n["connected"] else "| not connected (no long-poll)",
      "| certificate", n["certificates"][0]["name"], n["certificates"][0]["state"])
PY

# --once with the server down: the certificate is fine, so the pass is too; a warning says why no check-in.
write_agent agent-down.yaml "$(free_port)"
rc=0; $cf agent --config agent-down.yaml --once > down.txt 2> down.err || rc=$?
echo "agent --once, server down: exit $rc"
grep -q '^edge: monitoring' down.txt || fail "the pass did not report edge monitoring: $(cat down.txt)"
grep -o 'WARNING: no check-in' down.err

# The daemon (the node package's executable) holds the long-poll.
node_agent=$(dirname "$cf")/certfleet-agent
$node_agent --config agent.yaml > agent.log 2> agent.err &
agent_pid=$!
for _ in $(seq 1 200); do  # bounded wait for the state "node1 is connected"
  $cf node list --json > nodes.json
  $py -c 'import json,sys; n=json.load(open("nodes.json")); sys.exit(0 if n and n[0]["connected"] else 1)' && break
  kill -0 "$agent_pid" 2>/dev/null || { cat agent.err; fail "agent exited"; }
  sleep 0.05
done
$py -c 'import json,sys; n=json.load(open("nodes.json")); sys.exit(0 if n[0]["connected"] else 1)' ||
  fail "node1 did not connect"

start=$(date +%s)
rc=0; $cf node run node1 touch-marker --timeout 60s > run.txt || rc=$?
echo "node run node1 touch-marker: exit $rc"
(( $(date +%s) - start < 30 )) || fail "node run took $(( $(date +%s) - start ))s: the long-poll did not deliver it"
sed -E 's/action [0-9]+/action N/' run.txt
[[ $(cat marker) == ran ]] || fail "the operation did not run once: $(cat marker 2>/dev/null)"
echo "node1's own operation ran"

rc=0; $cf node run node1 fail-op --json > fail.json || rc=$?
echo "node run node1 fail-op: exit $rc"
$py -c '
import json
r = json.load(open("fail.json"))
print("  state:", r["state"], "| result:", r["result"])
assert "s3cret" not in r["result"] and "sh -c" not in r["result"], r'

rc=0; $cf node run node1 rm-everything > refused.txt 2> refused.err || rc=$?
echo "node run node1 rm-everything: exit $rc"
grep -oE 'refused: no operation rm-everything in this node.s configuration' refused.txt
[[ $(wc -l < marker) == 1 ]] || fail "something ran for a refused operation"
echo "nothing ran for the refused name"

rc=0; $cf node run node1 'rm -rf /' > bad.txt 2> bad.err || rc=$?
echo "node run node1 'rm -rf /': exit $rc"
grep -o 'is not an operation name' bad.err

$cf node run node1 touch-marker --no-wait --json | $py -c 'import json,sys; print("--no-wait:", json.load(sys.stdin)["state"])'
for _ in $(seq 1 200); do  # bounded wait for the state "the queued operation ran"
  [[ $(wc -l < marker) == 2 ]] && break
  sleep 0.05
done
[[ $(wc -l < marker) == 2 ]] || fail "the --no-wait operation did not run"
echo "the queued operation ran"

$cf ca audit --json > audit.json
$py -c '
import json
a = [e for e in json.load(open("audit.json")) if e["action"] == "node.action"]
print("audit:", sorted({e["outcome"].split(":")[0] for e in a}))'

# The daemon keeps one connection for its polls and action results (no TLS handshake per poll).
$py -c '
import re
peers = re.findall(r"peer=(\S+) method=\S+ path=/v1/actions", open("server.log").read())
print("actions requests:", "at least 6" if len(peers) >= 6 else len(peers), "| connections:", len(set(peers)))'

# The agent stopped: no connection (its recorded poll moved back, since waiting 2 minutes is not a test).
# SIGTERM ends the daemon while it holds a 30 s poll: bounded wait (5 s) for the state "it exited".
kill -TERM "$agent_pid"
for _ in $(seq 50); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$agent_pid" 2>/dev/null && fail "the agent still runs 5 s after SIGTERM (its held poll was not cancelled)"
rc=0; wait "$agent_pid" 2>/dev/null || rc=$?; agent_pid=
echo "SIGTERM during a held poll: the agent exited ($rc)"
grep -q 'level=warning' agent.err && fail "a warning at the stop: $(grep 'level=warning' agent.err)"
$py -c '
import sqlite3
db = sqlite3.connect("certfleet.db")
db.execute("UPDATE nodes SET last_poll_at = last_poll_at - 600")
db.commit()'
rc=0; $cf node run node1 touch-marker > gone.txt 2>&1 || rc=$?; echo "node run after the agent stopped: exit $rc"
grep -o 'No connection with node1' gone.txt
