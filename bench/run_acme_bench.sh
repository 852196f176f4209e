#!/usr/bin/env bash
# ACME issuance throughput, certfleet serve vs pebble (Debian) side by side in one run: full orders from
# CLIENTS concurrent clients (bench/acme_bench.py), ROUNDS alternated rounds of ORDERS orders each.
# Usage: bench/run_acme_bench.sh [CLIENTS=8] [ORDERS=160] [ROUNDS=2]   (from the repository, after scripts/build)
# Both servers use a TLS certificate from the same throwaway CA and connect for http-01 to the script's
# responder (certfleet through acme.resolve, pebble through pebble-challtestsrv as its DNS server).
set -euo pipefail
clients=${1:-8}; orders=${2:-160}; rounds=${3:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
cf=$repo/build/release/certfleet
work=$(mktemp -d "${TMPDIR:-/tmp}/acme-bench.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
cd "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 200); do curl -sf --cacert root.pem "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
export CERTFLEET_STORE="sqlite://$work/certfleet.db" CERTFLEET_STATE_DIR="$work/state"
printf 'bench passphrase\n' > pw
$cf ca init --name main --subject "CN=Bench Root" --intermediate --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
$cf cert issue --profile server --subject CN=pebble --san IP:127.0.0.1 --out-dir pebble-tls --passphrase-file pw 2>/dev/null

ours_port=$(free_port); ours_http01=$(free_port)
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\nlog_level: warn\nacme:\n  http01: {port: %s}\n  resolve: {"*.acme.test": 127.0.0.1}\n' \
  "$ours_port" "$work" "$ours_http01" > server.yaml
nice -n 10 $cf serve --config server.yaml 2>ours.log & pids+=($!); ours_pid=$!
wait_for "https://127.0.0.1:$ours_port/healthz"

pebble_port=$(free_port); pebble_mgmt=$(free_port); pebble_http01=$(free_port); dns_port=$(free_port); dns_mgmt=$(free_port)
cat pebble-tls/cert.pem pebble-tls/chain.pem > pebble-cert.pem
cat > pebble.json <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$pebble_port", "managementListenAddress": "127.0.0.1:$pebble_mgmt",
 "certificate": "pebble-cert.pem", "privateKey": "pebble-tls/key.pem", "httpPort": $pebble_http01,
 "tlsPort": $(free_port), "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" \
  -tlsalpn01 "" -management "127.0.0.1:$dns_mgmt" > challtestsrv.log 2>&1 & pids+=($!)
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 nice -n 10 pebble -config pebble.json -dnsserver "127.0.0.1:$dns_port" \
  > pebble.log 2>&1 & pids+=($!); pebble_pid=$!
wait_for "https://127.0.0.1:$pebble_port/dir"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks
# run NAME PID DIRECTORY HTTP01_PORT: one round against one server, with the server's CPU seconds per order
run() {
  local before after result
  before=$(cpu_ticks "$2")
  result=$(/usr/bin/python3 "$repo/bench/acme_bench.py" "$3" root.pem "$4" "$clients" "$orders")
  after=$(cpu_ticks "$2")
  echo "round $round $1 $result server_cpu_ms_per_order=$(( (after - before) * 1000 / $(getconf CLK_TCK) / orders ))"
}
echo "clients=$clients orders=$orders rounds=$rounds load=$(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%FT%TZ)"
for round in $(seq 1 "$rounds"); do
  run certfleet "$ours_pid" "https://127.0.0.1:$ours_port/acme/main/directory" "$ours_http01"
  run pebble "$pebble_pid" "https://127.0.0.1:$pebble_port/dir" "$pebble_http01"
done
echo "load=$(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%FT%TZ)"
