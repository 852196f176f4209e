#!/usr/bin/env bash
# Measures certificates per second for `certfleet inspect` against its peers, side by side, in one run:
#   (a) certfleet's library path, 1 and 2 threads     (b) naive OpenSSL 3.0 parsing, same process
#   (c) `certfleet inspect --json -r corpus`, end to end (d) `openssl x509 -noout -enddate` per file
#   (e) Python cryptography (Debian python3-cryptography) reading the same fields
# Each is reported per wall-clock second and per CPU second (user+sys): on a shared machine the CPU
# figure is the stable one. Usage: bench/run_inspect_bench.sh [BUILD_DIR]  (default build/release)
# Environment: CORPUS_SIZE (default 20000), CORPUS (default bench/corpus; made if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
corpus=${CORPUS:-$root/bench/corpus}
size=${CORPUS_SIZE:-20000}
export OPENSSL_CONF=/dev/null

if [[ $(find "$corpus" -maxdepth 1 -name 'cert-*.pem' 2> /dev/null | wc -l) -ne $size ]]; then
  echo "making a corpus of $size certificates in $corpus" >&2
  rm -rf "$corpus"
  mkdir -p "$corpus/.ca"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout "$corpus/.ca/ca.key" \
    -subj "/O=certfleet bench/CN=certfleet Bench CA" -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" \
    -out "$corpus/.ca/ca.pem" 2> /dev/null
  "$build/bench/certfleet_corpus_generator" "$corpus/.ca/ca.pem" "$corpus/.ca/ca.key" "$corpus" "$size"
fi
n=$(find "$corpus" -maxdepth 1 -name 'cert-*.pem' | wc -l)
cat "$corpus"/cert-*.pem > /dev/null  # warm the page cache for every contender alike

# (a) and (b): Google Benchmark, in one process.
CERTFLEET_BENCH_CORPUS=$corpus "$build/bench/certfleet_inspect_bench" --benchmark_format=json --benchmark_min_time=2 \
  > "$build/inspect_bench.json" 2> /dev/null
# rates NAME -> "wall_rate cpu_rate" (cpu_time is the CPU time of all threads per certificate)
rates() {
  python3 -c 'import json,sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"] == sys.argv[2]:
        print(int(b["items_per_second"]), int(1e9 / b["cpu_time"]))' \
    "$build/inspect_bench.json" "$1"
}
read -r lib1 lib1_cpu < <(rates certfleet_library/real_time/threads:1)
read -r lib2 lib2_cpu < <(rates certfleet_library/real_time/threads:2)
read -r naive1 naive1_cpu < <(rates naive_openssl/real_time/threads:1)
read -r naive2 naive2_cpu < <(rates naive_openssl/real_time/threads:2)

# timed COUNT CMD... -> "wall_rate cpu_rate" for COUNT certificates handled by CMD (children's CPU included)
timed() {
  local count=$1; shift
  python3 - "$count" "$@" <<'PY'
import os, subprocess, sys, time
count, cmd = int(sys.argv[1]), sys.argv[2:]
start, before = time.perf_counter(), os.times()
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
wall, after = time.perf_counter() - start, os.times()
cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
print(int(count / wall), int(count / cpu) if cpu > 0 else 0)
PY
}
# (c) the CLI end to end, the whole corpus in one process.
read -r cli cli_cpu < <(timed "$n" "$build/certfleet" inspect --json -r "$corpus")
# (d) one openssl process per certificate, on 200 files, extrapolated per certificate.
find "$corpus" -maxdepth 1 -name 'cert-*.pem' | sort | awk 'NR <= 200' > "$build/openssl_sample.txt"
read -r ossl_cli ossl_cli_cpu < <(timed 200 bash -c \
  'while read -r f; do openssl x509 -in "$f" -noout -enddate; done < "$1"' _ "$build/openssl_sample.txt")
# (e) Python cryptography, Debian's package.
read -r py py_cpu < <(/usr/bin/python3 "$root/bench/inspect_peer.py" "$corpus")
pyver=$(/usr/bin/python3 -c 'import cryptography; print(cryptography.__version__)')

ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }
row() { printf '%-56s %10s %12s\n' "$1" "$2" "$3"; }
echo "corpus: $n certificates (EC P-256 and RSA-2048 leaves); $(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
row "path" "certs/s" "certs/CPU-s"
row "(a) certfleet library, 1 thread" "$lib1" "$lib1_cpu"
row "(a) certfleet library, 2 threads" "$lib2" "$lib2_cpu"
row "(b) naive OpenSSL $(openssl version | cut -d' ' -f2), 1 thread" "$naive1" "$naive1_cpu"
row "(b) naive OpenSSL, 2 threads" "$naive2" "$naive2_cpu"
row "(c) certfleet inspect --json -r (CLI, end to end)" "$cli" "$cli_cpu"
row "(d) openssl x509 -noout -enddate, a process per file" "$ossl_cli" "$ossl_cli_cpu"
row "(e) Python cryptography $pyver" "$py" "$py_cpu"
echo
echo "ratio                                   wall      CPU"
echo "ours / naive OpenSSL (1 thread):        $(ratio "$lib1" "$naive1")    $(ratio "$lib1_cpu" "$naive1_cpu")   (goal >= 2x)"
echo "ours / Python cryptography (1 thread):  $(ratio "$lib1" "$py")    $(ratio "$lib1_cpu" "$py_cpu")   (goal >= 1.5x)"
echo "ours CLI / Python cryptography:         $(ratio "$cli" "$py")    $(ratio "$cli_cpu" "$py_cpu")"
echo "ours CLI / openssl CLI per file:        $(ratio "$cli" "$ossl_cli")    $(ratio "$cli_cpu" "$ossl_cli_cpu")"
