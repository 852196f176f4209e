#!/usr/bin/env bash
# Scan benchmark: `certfleet scan` over N certificate files, side by side in one run with its peers:
# Python cryptography (bench/scan_peer.py, Debian's python3-cryptography, one process), and, on a
# sample of files extrapolated to the corpus, `cfssl certinfo -cert FILE` and an
# `openssl x509 -noout -subject -enddate -fingerprint -sha256` loop (one process per file, as scripts do).
#
# Usage: bench/scan_bench.sh [N=20000] [SAMPLE=200]
# Needs a release build (scripts/build). The corpus is cached in build/bench/scan-corpus-N.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
sample=${2:-200}
certfleet=build/release/certfleet
python=/usr/bin/python3  # Debian's interpreter, with python3-cryptography
corpus=build/bench/scan-corpus-$n
[[ -x $certfleet ]] || { echo "scan_bench.sh: build first (scripts/build)" >&2; exit 1; }
if [[ ! -f $corpus.done ]]; then
  rm -rf "$corpus"
  echo "generating $n certificate files in $corpus ..."
  $python bench/make_scan_corpus.py "$corpus" "$n"
  touch "$corpus.done"
fi
files=$(find "$corpus" -type f -name '*.pem' | wc -l)
certs=$(( files + files / 10 ))  # every tenth file is leaf + CA
find "$corpus" -type f -name '*.pem' ! -name '*.fullchain.pem' | sort > "$corpus.single"
awk -v n="$(wc -l < "$corpus.single")" -v s="$sample" 'NR % int(n / s) == 0' "$corpus.single" |
  head -n "$sample" > "$corpus.sample"
sampled=$(wc -l < "$corpus.sample")

now() { date +%s.%N; }
rate() { awk -v c="$1" -v t="$2" 'BEGIN { printf "%.0f", c / t }'; }
# Warm the page cache once so every tool reads from memory.
cat $(find "$corpus" -type f) > /dev/null

t0=$(now); $certfleet scan -q -r "$corpus" --json > /dev/null; t1=$(now)
ours=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now); $certfleet scan -q -r "$corpus" --csv > /dev/null; t1=$(now)
ours_csv=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now); $python bench/scan_peer.py "$corpus" > /dev/null; t1=$(now)
py=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now)
while read -r f; do cfssl certinfo -cert "$f" > /dev/null; done < "$corpus.sample"
t1=$(now)
cfssl_t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now)
while read -r f; do
  openssl x509 -in "$f" -noout -subject -enddate -fingerprint -sha256 > /dev/null
done < "$corpus.sample"
t1=$(now)
openssl_t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

# Rates: certificates per second. The sample holds single-certificate files only: cfssl certinfo
# refuses a PEM file with more than one object.
r_ours=$(rate "$certs" "$ours")
r_ours_csv=$(rate "$certs" "$ours_csv")
r_py=$(rate "$certs" "$py")
r_cfssl=$(rate "$sampled" "$cfssl_t")
r_openssl=$(rate "$sampled" "$openssl_t")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
echo "corpus: $files files, $certs certificates ($(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-52s %10s %12s %s\n' "tool" "seconds" "certs/s" "certfleet is"
printf '%-52s %10.2f %12s %s\n' "certfleet scan -r --json (2 threads)" "$ours" "$r_ours" "-"
printf '%-52s %10.2f %12s %s\n' "certfleet scan -r --csv (2 threads)" "$ours_csv" "$r_ours_csv" "-"
printf '%-52s %10.2f %12s %s\n' "python3-cryptography $($python -c 'import cryptography; print(cryptography.__version__)') (scan_peer.py)" \
  "$py" "$r_py" "$(ratio "$r_ours" "$r_py")"
printf '%-52s %10.2f %12s %s\n' "cfssl certinfo, $sampled files, extrapolated" \
  "$(awk -v t="$cfssl_t" -v s="$sampled" -v c="$certs" 'BEGIN { print t / s * c }')" "$r_cfssl" "$(ratio "$r_ours" "$r_cfssl")"
printf '%-52s %10.2f %12s %s\n' "openssl x509 loop, $sampled files, extrapolated" \
  "$(awk -v t="$openssl_t" -v s="$sampled" -v c="$certs" 'BEGIN { print t / s * c }')" "$r_openssl" "$(ratio "$r_ours" "$r_openssl")"

# Same answers: every certificate's path, serial, notAfter and SHA-256 agree with the Python peer.
$certfleet scan -q -r "$corpus" --json > "$corpus.ours.json"
$python bench/scan_peer.py "$corpus" > "$corpus.peer.jsonl"
$python - "$corpus.ours.json" "$corpus.peer.jsonl" <<'PY'
import json, sys
ours = sorted((c["path"], c["serial"].lstrip("0"), c["not_after"], c["sha256"])
              for c in json.load(open(sys.argv[1]))["certificates"])
peer = sorted((c["path"], c["serial"].lstrip("0"), c["not_after"], c["sha256"])
              for c in map(json.loads, open(sys.argv[2])))
same = sum(1 for a, b in zip(ours, peer) if a == b)
print(f"agreement with the Python peer: {same} of {len(peer)} certificates (path, serial, notAfter, SHA-256)")
sys.exit(0 if same == len(peer) == len(ours) else 1)
PY
