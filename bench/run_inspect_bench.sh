#!/usr/bin/env bash
# Measures certificates per second for `certfleet inspect` against its peers, side by side, in one run:
#   (a) certfleet's library path, 1 and 2 threads     (b) naive OpenSSL 3.0 parsing, same process
#   (c) `certfleet inspect --json -r corpus`, end to end (d) `openssl x509 -noout -enddate` per file
#   (e) Python cryptography (Debian python3-cryptography) reading the same fields
# Usage: bench/run_inspect_bench.sh [BUILD_DIR]   (default build/release; builds the corpus if missing)
# Environment: CORPUS_SIZE (default 20000), CORPUS (default bench/corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
corpus=${CORPUS:-$root/bench/corpus}
size=${CORPUS_SIZE:-20000}
export OPENSSL_CONF=/dev/null

if [[ $(find "$corpus" -name 'cert-*.pem' 2> /dev/null | wc -l) -ne $size ]]; then
  echo "making a corpus of $size certificates in $corpus" >&2
  rm -rf "$corpus"
  mkdir -p "$corpus/.ca"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout "$corpus/.ca/ca.key" \
    -subj "/O=certfleet bench/CN=certfleet Bench CA" -days 3650 -out "$corpus/.ca/ca.pem" 2> /dev/null
  "$build/bench/certfleet_corpus_generator" "$corpus/.ca/ca.pem" "$corpus/.ca/ca.key" "$corpus" "$size"
fi
n=$(find "$corpus" -maxdepth 1 -name 'cert-*.pem' | wc -l)

# (a) and (b)
CERTFLEET_BENCH_CORPUS=$corpus "$build/bench/certfleet_inspect_bench" --benchmark_format=json \
  > "$build/inspect_bench.json" 2> /dev/null
rate() {  # rate NAME -> items per second of that benchmark
  python3 -c 'import json,sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"] == sys.argv[2]: print(int(b["items_per_second"]))' "$build/inspect_bench.json" "$1"
}
lib1=$(rate certfleet_library/min_time:2.000/real_time/threads:1)
lib2=$(rate certfleet_library/min_time:2.000/real_time/threads:2)
naive1=$(rate naive_openssl/min_time:2.000/real_time/threads:1)
naive2=$(rate naive_openssl/min_time:2.000/real_time/threads:2)

# (c) the CLI end to end, the whole corpus in one process
start=$(date +%s.%N)
"$build/certfleet" inspect --json -r "$corpus" > /dev/null 2>&1 || true
end=$(date +%s.%N)
cli=$(python3 -c "print(int($n / ($end - $start)))")

# (d) one openssl process per certificate, on 200 files, extrapolated per certificate
sample=$(find "$corpus" -maxdepth 1 -name 'cert-*.pem' | sort | head -200)
start=$(date +%s.%N)
for f in $sample; do openssl x509 -in "$f" -noout -enddate > /dev/null; done
end=$(date +%s.%N)
ossl_cli=$(python3 -c "print(int(200 / ($end - $start)))")

# (e) Python cryptography, Debian's package
py=$(/usr/bin/python3 "$root/bench/inspect_peer.py" "$corpus" | awk '{print $2}')
pyver=$(/usr/bin/python3 -c 'import cryptography; print(cryptography.__version__)')

ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }
echo "corpus: $n certificates (EC P-256 and RSA-2048 leaves), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-58s %12s\n' "path" "certs/s"
printf '%-58s %12s\n' "(a) certfleet library, 1 thread" "$lib1"
printf '%-58s %12s\n' "(a) certfleet library, 2 threads" "$lib2"
printf '%-58s %12s\n' "(b) naive OpenSSL $(openssl version | cut -d' ' -f2), 1 thread" "$naive1"
printf '%-58s %12s\n' "(b) naive OpenSSL, 2 threads" "$naive2"
printf '%-58s %12s\n' "(c) certfleet inspect --json -r (CLI, end to end)" "$cli"
printf '%-58s %12s\n' "(d) openssl x509 -noout -enddate, one process per file" "$ossl_cli"
printf '%-58s %12s\n' "(e) Python cryptography $pyver" "$py"
echo
echo "ours / naive OpenSSL (1 thread):      $(ratio "$lib1" "$naive1")   (goal >= 2x)"
echo "ours / Python cryptography (1 thread): $(ratio "$lib1" "$py")   (goal >= 1.5x)"
echo "ours CLI / Python cryptography:        $(ratio "$cli" "$py")"
echo "ours CLI / openssl CLI per file:       $(ratio "$cli" "$ossl_cli")"
