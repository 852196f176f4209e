#!/usr/bin/env bash
# Fleet capacity of one `certfleet serve` (issue 14): check-ins from simulated nodes, and idle long-polls
# held at once while enrollment runs. One server on 127.0.0.1 with a durable SQLite store (WAL +
# synchronous=FULL), a P-256 CA, autosign by glob; the nodes are simulated by bench/fleet_client.py
# (Debian python3: ssl, threads, python3-cryptography), enrollment load by wrk as in
# bench/run_serve_issuance_bench.sh.
#   1. NODES identities: a P-256 key per node, its CSR sent to POST /v1/requests (autosigned), the
#      certificate kept with the key (every node a real client certificate of the CA, in its ledger).
#   2. POST /v1/checkin over mTLS: keep-alive at 1, 8 and 32 connections for CHECKIN_SECONDS each; then
#      every one of the NODES nodes once on its own new mTLS connection (32 workers). check-ins/s, p50,
#      p99, and the server's CPU per check-in (/proc/PID/stat).
#   3. Enrollment (wrk, POST /v1/requests, 8 connections, ENROLL_SECONDS) without held polls; then NODES
#      long-polls held at once (GET /v1/actions?wait=60, each node on its own connection with its own
#      certificate, re-polled when answered, as agents do) and the server's VmRSS before and after, per poll;
#      enrollment again while they are held; the polls closed; enrollment once more without them.
# Bounded: NODES identities and connections, every phase timed, the server and clients stopped at the
# end (and on failure). Raises the soft descriptor limit to the hard one (each held poll is a descriptor
# on both sides); `certfleet serve` raises its own as well (docs/api.md).
# Usage: bench/run_fleet_capacity_bench.sh [NODES=10000] [CHECKIN_SECONDS=10] [ENROLL_SECONDS=60]
#   (from the repository, after scripts/build; needs wrk: apt-get install wrk). KEEP=1 keeps the work dir.
set -euo pipefail
nodes=${1:-10000}
checkin_seconds=${2:-10}
enroll_seconds=${3:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
cf=$repo/build/release/certfleet
client="/usr/bin/python3 $repo/bench/fleet_client.py"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) > nodes + 100 )) || { echo "descriptor limit $(ulimit -n) is too low for $nodes nodes" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fleet-bench.XXXXXX")
server_pid=""; holder_pid=""
trap 'kill $holder_pid $server_pid 2>/dev/null || true; wait 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
cd "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

export CERTFLEET_STORE="sqlite://$work/certfleet.db" CERTFLEET_STATE_DIR="$work/state" OPENSSL_CONF=/dev/null
printf 'bench passphrase\n' > pw
$cf ca init --name main --subject "CN=Fleet Bench Root" --key-type ec:p256 --passphrase-file pw >/dev/null
$cf ca export --root-only --out root.pem 2>/dev/null
port=$(free_port)
url="https://127.0.0.1:$port"
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\nlog_level: warn\nautosign: {globs: ["*.nodes.bench.test", "*.enroll.bench.test"]}\n' \
  "$port" "$work" > server.yaml
$cf serve --config server.yaml 2>server.log & server_pid=$!
for _ in $(seq 1 200); do curl -sf --cacert root.pem -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.05; done
curl -sf --cacert root.pem -o /dev/null "$url/healthz" || { cat server.log >&2; echo "the server did not start" >&2; exit 1; }
status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server_pid/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
ticks_per_s=$(getconf CLK_TCK)
metric() { curl -s --cacert root.pem "$url/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(date -u +%FT%TZ)"
echo "server: $($cf --version 2>/dev/null | head -1), descriptors: soft $(awk '/Max open files/ {print $4}' "/proc/$server_pid/limits"), hard $(awk '/Max open files/ {print $5}' "/proc/$server_pid/limits"); $(grep -o 'descriptor limit[^"]*' server.log | head -1)"

# 1. identities
echo "== $nodes node identities (P-256 key + CSR each, POST /v1/requests, autosigned; 8 connections)"
$client enroll "$url" root.pem nodes "$nodes" 8

# 2. check-ins
echo "== POST /v1/checkin (mTLS); server CPU per check-in from /proc/$server_pid/stat"
printf '%-34s %6s %9s %9s %8s %8s %7s %10s %12s\n' mode conns checkins 'per s' 'p50 ms' 'p99 ms' errors 'client cpu' 'server cpu/ci'
checkin_row() {  # MODE CONNS SECONDS
  local before after line
  before=$(cpu_ticks)
  line=$($client checkin "$url" root.pem nodes "$nodes" "$2" "$3" "$1")
  after=$(cpu_ticks)
  python3 - "$line" "$before" "$after" "$ticks_per_s" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); cpu = (int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4])
label = "keep-alive, one node per conn" if r["mode"] == "keepalive" else "every node once, new mTLS conn"
per = f"{cpu / r['checkins'] * 1000:.3f} ms" if r["checkins"] else "-"
print(f"{label:34} {r['conns']:6} {r['checkins']:9} {r['rate']:9} {r['p50_ms']:8} {r['p99_ms']:8} {r['errors']:7} {r['client_cpu_s']:9}s {per:>12}")
if r["errors"]:
    print("  first error:", r["first_error"])
PY
}
for c in 1 8 32; do checkin_row keepalive "$c" "$checkin_seconds"; done
checkin_row fresh 32 120
echo "nodes recorded by the server: $($cf node list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# 3. enrollment with and without held polls
python3 - <<'PY'
import json
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
with open("enroll.bodies", "w") as out:
    for i in range(3000):
        name = f"e{i:05d}.enroll.bench.test"
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
               .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()))
        out.write(json.dumps({"csr_pem": csr.public_bytes(serialization.Encoding.PEM).decode()}) + "\n")
open("enroll.lua", "w").write("""
local next_thread = 0
setup = function(thread)
  thread:set("first", next_thread)
  next_thread = next_thread + 1
end
init = function(args)
  bodies = {}
  for line in io.lines("enroll.bodies") do bodies[#bodies + 1] = line end
  index = first
end
request = function()
  index = index + 2
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[(index % #bodies) + 1])
end
""")
PY
enroll_run() {  # LABEL: one wrk run at 8 connections; prints "requests/s p50_ms p99_ms non2xx"
  wrk -t2 -c8 -d"${enroll_seconds}s" --latency -s enroll.lua "$url/v1/requests" > "wrk-$1.txt" 2>&1
  python3 - "wrk-$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(f"{rate:.0f} {ms(50):.2f} {ms(99):.2f} {bad.group(1) if bad else 0}")
PY
}
echo "== enrollment (wrk, POST /v1/requests, 8 connections, ${enroll_seconds} s) with and without $nodes held long-polls"
printf '%-34s %9s %9s %9s %8s %s\n' phase 'req/s' 'p50 ms' 'p99 ms' non-2xx 'server VmRSS'
read -r r0 p50 p99 bad <<<"$(enroll_run before)"
printf '%-34s %9s %9s %9s %8s %s\n' 'no polls held' "$r0" "$p50" "$p99" "$bad" "$(status VmRSS) kB"

sleep 2
rss_before=$(status VmRSS); anon_before=$(status RssAnon)
fds_before=$(ls "/proc/$server_pid/fd" | wc -l)
$client hold "$url" root.pem nodes "$nodes" $(( nodes / 20 + 3 * enroll_seconds + 120 )) held.status > holder.json & holder_pid=$!
for _ in $(seq 1 $(( nodes / 10 + 600 ))); do [[ -s held.status ]] && break; kill -0 "$holder_pid" || break; sleep 0.2; done
[[ -s held.status ]] || { echo "the polls were not all opened" >&2; exit 1; }
sleep 3
rss_held=$(status VmRSS); anon_held=$(status RssAnon)
fds_held=$(ls "/proc/$server_pid/fd" | wc -l)
held=$(metric certfleet_held_polls)
read -r r1 p50 p99 bad <<<"$(enroll_run held)"
printf '%-34s %9s %9s %9s %8s %s\n' "$(cat held.status) polls" "$r1" "$p50" "$p99" "$bad" "$(status VmRSS) kB at the end"
held_end=$(metric certfleet_held_polls)
kill -TERM "$holder_pid"; wait "$holder_pid" || true; holder_pid=""
closed_at=$(date +%s.%N)
for _ in $(seq 1 300); do [[ $(metric certfleet_held_polls) == 0 ]] && break; sleep 0.2; done  # bounded: 60 s
echo "polls still held by the server after the holder exited: $(metric certfleet_held_polls) after $(python3 -c "import time; print(f'{time.time() - $closed_at:.1f}')") s"
sleep 2
read -r r2 p50 p99 bad <<<"$(enroll_run after)"
printf '%-34s %9s %9s %9s %8s %s\n' 'no polls held (after)' "$r2" "$p50" "$p99" "$bad" "$(status VmRSS) kB"
echo "holder: $(cat holder.json)"
python3 - "$nodes" "$rss_before" "$rss_held" "$anon_before" "$anon_held" "$fds_before" "$fds_held" "$held" "$held_end" "$r0" "$r1" "$r2" <<'PY'
import sys
n, rss0, rss1, anon0, anon1, fd0, fd1 = map(int, sys.argv[1:8])
held, held_end = sys.argv[8], sys.argv[9]
r0, r1, r2 = map(float, sys.argv[10:13])
polls = fd1 - fd0
print(f"server descriptors {fd0} -> {fd1} (+{polls}); certfleet_held_polls {held} when measured, {held_end} after the held run")
print(f"VmRSS {rss0} -> {rss1} kB: {(rss1 - rss0) / n:.1f} KB per held poll (RssAnon {(anon1 - anon0) / n:.1f} KB)")
base = (r0 + r2) / 2
print(f"enrollment with {n} polls held: {r1:.0f} req/s against {base:.0f} (mean of before {r0:.0f} and after {r2:.0f}): "
      f"{(r1 / base - 1) * 100:+.1f}%")
PY
