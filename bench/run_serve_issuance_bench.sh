#!/usr/bin/env bash
# HTTP issuance side by side (issue 14): certfleet serve (POST /v1/requests, autosigned, durable SQLite:
# WAL + synchronous=FULL, group commit) against cfssl serve 1.2 (Debian golang-cfssl, POST
# /api/v1/cfssl/sign) with its SQLite certdb (-db-config), and plain cfssl serve (no database), each
# over TLS with keep-alive, each with its own P-256 root (the same key type), each loaded by wrk with
# the same P-256 CSR at 1, 8 and 32 connections for SECONDS seconds, the three servers alternated at
# each concurrency. Prints requests/s, p50 and p99 per row and certfleet's ratio to cfssl -db-config.
# Usage: bench/run_serve_issuance_bench.sh [SECONDS=10]   (from the repository, after scripts/build;
# needs wrk and golang-cfssl: apt-get install wrk golang-cfssl)
set -euo pipefail
seconds=${1:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
cf=$repo/build/release/certfleet
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v cfssl >/dev/null || { echo "needs cfssl (apt-get install golang-cfssl)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/serve-bench.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
cd "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 200); do curl -sk -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

# certfleet: an authority with a P-256 root that signs (no intermediate, as cfssl's single CA).
export CERTFLEET_STORE="sqlite://$work/certfleet.db" CERTFLEET_STATE_DIR="$work/state"
printf 'bench passphrase\n' > pw
$cf ca init --name main --subject "CN=Bench Root" --key-type ec:p256 --passphrase-file pw >/dev/null
ours_port=$(free_port)
printf 'listen: 127.0.0.1:%s\npassphrase_file: %s/pw\nlog_level: warn\nautosign: {globs: ["*.bench.test"]}\n' \
  "$ours_port" "$work" > server.yaml
$cf serve --config server.yaml 2>ours.log & pids+=($!)
wait_for "https://127.0.0.1:$ours_port/healthz"

# cfssl: its own P-256 root (openssl), a TLS certificate from it, the certdb schema of cfssl 1.2
# (certdb/sqlite/migrations/001_CreateCertificates.sql).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca-key.pem -out ca.pem -days 3650 \
  -subj "/CN=cfssl Bench Root" -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls-key.pem -subj /CN=127.0.0.1 2>/dev/null |
  openssl x509 -req -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -out tls.pem \
    -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') 2>/dev/null
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("cfssl.db")
db.executescript("""
CREATE TABLE certificates (serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, ca_label blob,
  status blob NOT NULL, reason int, expiry timestamp, revoked_at timestamp, pem blob NOT NULL,
  PRIMARY KEY(serial_number, authority_key_identifier));
CREATE TABLE ocsp_responses (serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, body blob NOT NULL,
  expiry timestamp, PRIMARY KEY(serial_number, authority_key_identifier),
  FOREIGN KEY(serial_number, authority_key_identifier) REFERENCES certificates(serial_number, authority_key_identifier));
""")
PY
printf '{"driver": "sqlite3", "data_source": "%s/cfssl.db"}\n' "$work" > db.json
cfssl_db_port=$(free_port); cfssl_port=$(free_port)
cfssl serve -address 127.0.0.1 -port "$cfssl_db_port" -ca ca.pem -ca-key ca-key.pem -tls-cert tls.pem -tls-key tls-key.pem \
  -db-config db.json -loglevel 2 > cfssl-db.log 2>&1 & pids+=($!)
cfssl serve -address 127.0.0.1 -port "$cfssl_port" -ca ca.pem -ca-key ca-key.pem -tls-cert tls.pem -tls-key tls-key.pem \
  -loglevel 2 > cfssl.log 2>&1 & pids+=($!)
wait_for "https://127.0.0.1:$cfssl_db_port/api/v1/cfssl/info"
wait_for "https://127.0.0.1:$cfssl_port/api/v1/cfssl/info"

# 6,000 P-256 CSRs with distinct names (python3-cryptography), the same for every server, in the body each
# API takes, one per line; the wrk script sends them in turn (thread t takes t, t+T, ...).
python3 - <<'PY'
import json
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
ours, theirs = open("ours.bodies", "w"), open("cfssl.bodies", "w")
for i in range(6000):
    name = f"n{i:05d}.bench.test"
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
           .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()))
    pem = csr.public_bytes(serialization.Encoding.PEM).decode()
    if i == 0:
        open("node.csr", "w").write(pem)
    ours.write(json.dumps({"csr_pem": pem}) + "\n")
    theirs.write(json.dumps({"certificate_request": pem}) + "\n")
for name in ("ours", "cfssl"):
    open(f"{name}.lua", "w").write(f"""
local next_thread = 0
setup = function(thread)
  thread:set("first", next_thread)
  next_thread = next_thread + 1
end
init = function(args)
  bodies = {{}}
  for line in io.lines("{name}.bodies") do bodies[#bodies + 1] = line end
  index = first
end
request = function()
  index = index + 2
  return wrk.format("POST", nil, {{["Content-Type"] = "application/json"}}, bodies[(index % #bodies) + 1])
end
""")
PY
# Both answer 2xx with a certificate: checked once before loading.
curl -sk -o ours.json -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "$(python3 -c 'import json; print(json.dumps({"csr_pem": open("node.csr").read()}))')" \
  "https://127.0.0.1:$ours_port/v1/requests" | grep -q 201 || { cat ours.json; echo "certfleet did not issue" >&2; exit 1; }
curl -sk -o cfssl.json -H 'Content-Type: application/json' \
  --data-binary "$(python3 -c 'import json; print(json.dumps({"certificate_request": open("node.csr").read()}))')" \
  "https://127.0.0.1:$cfssl_db_port/api/v1/cfssl/sign"
grep -q '"success":true' cfssl.json || { cat cfssl.json; echo "cfssl did not sign" >&2; exit 1; }

# run NAME URL SCRIPT CONNECTIONS: one wrk run; prints "requests/s p50_ms p99_ms non2xx"
run() {
  local threads=$(( $4 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$4" -d"${seconds}s" --latency -s "$3" "$2" > "wrk-$1-$4.txt" 2>&1
  python3 - "wrk-$1-$4.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"{rate:.0f} {ms(50):.2f} {ms(99):.2f} {bad.group(1) if bad else 0}{' ' + errors.group(1) if errors else ''}")
PY
}
ours_before=$($cf cert list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
printf '%-26s %5s %10s %9s %9s %8s\n' server conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx'
declare -A rate
for c in 1 8 32; do
  for row in "ours|certfleet serve (SQLite)|https://127.0.0.1:$ours_port/v1/requests|ours.lua" \
             "cfssl-db|cfssl serve -db-config|https://127.0.0.1:$cfssl_db_port/api/v1/cfssl/sign|cfssl.lua" \
             "cfssl|cfssl serve (no database)|https://127.0.0.1:$cfssl_port/api/v1/cfssl/sign|cfssl.lua"; do
    IFS='|' read -r id name url script <<<"$row"
    result=$(run "$id" "$url" "$script" "$c")
    read -r r p50 p99 bad rest <<<"$result"
    rate["$id/$c"]=$r
    printf '%-26s %5s %10s %9s %9s %8s %s\n' "$name" "$c" "$r" "$p50" "$p99" "$bad" "${rest:-}"
  done
  printf '  certfleet / cfssl -db-config at %s: %s\n' "$c" \
    "$(python3 -c "print(f'{${rate[ours/$c]} / ${rate[cfssl-db/$c]}:.2f}x')")"
done
ours_after=$($cf cert list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
cfssl_rows=$(python3 -c 'import sqlite3; print(sqlite3.connect("cfssl.db").execute("select count(*) from certificates").fetchone()[0])')
echo "recorded: certfleet $((ours_after - ours_before)) certificates in its ledger, cfssl $cfssl_rows in its certdb"
