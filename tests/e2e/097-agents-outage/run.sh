# Issue 15's server outage with 50 nodes: fifty agent daemons (certfleet-agent, each its own state and
# files) enroll with one-time tokens and hold the server's long-poll; the server is killed (every held
# poll fails at the same instant), the nodes keep their files and retry with exponential backoff and full
# jitter; when the server is back every node reconnects, spread over seconds rather than in one burst
# (no thundering herd), and is connected again in `node list`.
source "$SCENARIO/../deploy_fixtures.sh"
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export OPENSSL_CONF=/dev/null
cf=$CERTFLEET
py=/usr/bin/python3
nodes=50
printf 'e2e passphrase\n' > pw
$cf ca init --name main --subject "CN=Fleet Root,O=certfleet" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
port=$(free_port)
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\n' "$port" "$PWD" > server.yaml
pids=()
trap 'kill "${pids[@]}" $server_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
# serve: starts the server on $port; waits (bounded) until it answers /healthz
serve() {
  $cf serve --config server.yaml 2>>server.log &
  server_pid=$!
  for _ in $(seq 1 400); do
    curl -sf --cacert root.pem "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat server.log >&2; fail "server exited"; }
    sleep 0.05
  done
  fail "the server did not answer /healthz"
}
serve

node_agent=$(dirname "$cf")/certfleet-agent
for i in $(seq -w 1 $nodes); do
  mkdir -p "n$i/out"
  $cf token create --name "node$i.example.com" > "n$i/token" 2>/dev/null
  printf 'certificate: {cert: cert.pem, chain: chain.pem, key: key.pem}\ntargets: [{format: pem, path: out}]\n' > "n$i/deploy.yaml"
  cat > "n$i/agent.yaml" <<YAML
server: https://127.0.0.1:$port
ca_file: $PWD/root.pem
state_dir: state
bootstrap: {token_file: token}
certificates:
  - {name: node, deploy: deploy.yaml, subject: CN=node$i.example.com, sans: ["DNS:node$i.example.com"]}
YAML
  $node_agent --config "n$i/agent.yaml" --interval 1h > "n$i/agent.log" 2> "n$i/agent.err" &
  pids+=($!)
done
# connected_since EPOCH: how many nodes polled the server at or after EPOCH (node list's last_seen)
connected_since() {
  $cf node list --json | $py -c '
import datetime, json, sys
since = int(sys.argv[1])
seen = [datetime.datetime.strptime(n["last_seen"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
        for n in json.load(sys.stdin) if n["connected"] and n["last_seen"]]
print(sum(t >= since for t in seen))' "$1"
}
for _ in $(seq 1 600); do  # bounded wait (60 s) for the state "every node enrolled and polls"
  [[ $(connected_since 0) == "$nodes" ]] && break
  sleep 0.1
done
[[ $(connected_since 0) == "$nodes" ]] || fail "only $(connected_since 0) of $nodes nodes connected"
echo "$nodes agents enrolled with tokens and hold the long-poll"
for i in $(seq -w 1 $nodes); do sha256sum "n$i/cert.pem" "n$i/key.pem" "n$i/out/cert.pem"; done > files.before

kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
# Bounded wait (90 s) for the state "every agent has failed five times in a row": its next delay is drawn
# from up to 16 s.
failures() { grep -c 'retrying in' "$1" || true; }
for _ in $(seq 1 900); do
  behind=0
  for i in $(seq -w 1 $nodes); do (( $(failures "n$i/agent.err") >= 5 )) || behind=$((behind + 1)); done
  (( behind == 0 )) && break
  sleep 0.1
done
(( behind == 0 )) || fail "$behind agents did not retry five times"
echo "server killed: every agent retries with backoff"
sha256sum -c --quiet files.before || fail "a node's files changed during the outage"
echo "the nodes' files are untouched"

restart=$(date +%s)
serve
arrivals=()
for _ in $(seq 1 900); do  # bounded wait (90 s) for the state "every node polled the restarted server"
  [[ $(connected_since "$restart") == "$nodes" ]] && break
  sleep 0.1
done
[[ $(connected_since "$restart") == "$nodes" ]] || fail "$(connected_since "$restart") of $nodes nodes came back"
echo "server back: all $nodes nodes reconnected"
# The first poll of each node after the restart: per node, the earliest last_seen at or after $restart is
# what the store recorded for it (its poll is held, so last_seen does not move until the poll ends).
$cf node list --json | $py -c '
import collections, datetime, json, sys
since = int(sys.argv[1])
times = [int(datetime.datetime.strptime(n["last_seen"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()) - since
         for n in json.load(sys.stdin)]
per_second = collections.Counter(times)
busiest = max(per_second.values())
spread = max(times) - min(times)
print(f"reconnections: {len(times)} over {spread + 1} s, at most {busiest} in one second", file=sys.stderr)
# A herd would bring all 50 back in the same second; full jitter over up to 16 s spreads them.
if busiest > len(times) // 2 or spread < 2:
    sys.exit(f"FAIL: a thundering herd: {busiest} of {len(times)} nodes in one second, spread {spread + 1} s")
print("no thundering herd: at most half the nodes in any one second")' "$restart"
grep -q "PRIVATE KEY" server.log n*/agent.log n*/agent.err && fail "a key in a log"
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
stopped=0
for pid in "${pids[@]}"; do rc=0; wait "$pid" || rc=$?; (( rc == 0 )) && stopped=$((stopped + 1)); done
echo "agents stopped by SIGTERM: $stopped of $nodes exit 0"
