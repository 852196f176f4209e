#!/usr/bin/env bash
# Scan benchmark: `certfleet scan -r` over N certificate files with distinct keys, side by side in one
# run with Python cryptography reading the same fields in-process (bench/scan_peer.py): cryptography 48
# (pyenv's python 3.11) and Debian's python3-cryptography 38; on a sample of files extrapolated to the
# corpus, `cfssl certinfo -cert FILE` and an `openssl x509 -noout -subject -enddate -fingerprint -sha256`
# loop (one process per file, as scripts do). certfleet is timed as a whole process (start-up included),
# the Python peers from after their imports (interpreter start excluded), as bench/RESULTS.md says.
# Then the memory run: peak RSS of `scan -r --json` at N files and at 10 x N (hard links of the corpus).
#
# Usage: bench/scan_bench.sh [N=20000] [SAMPLE=200]
# Needs a release build (scripts/build). The corpus is cached in build/bench/scan-corpus-N. Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
sample=${2:-200}
certfleet=build/release/certfleet
debian_python=/usr/bin/python3  # python3-cryptography 38
py48=$(ls -d /root/.pyenv/versions/3.11.*/bin/python3 2>/dev/null | head -n 1 || true)
corpus=build/bench/scan-corpus-$n
[[ -x $certfleet ]] || { echo "scan_bench.sh: build first (scripts/build)" >&2; exit 1; }
if [[ ! -f $corpus.done ]]; then
  rm -rf "$corpus"
  echo "generating $n certificate files with distinct keys in $corpus ..."
  $debian_python bench/make_scan_corpus.py "$corpus" "$n"
  touch "$corpus.done"
fi
files=$(find "$corpus" -type f -name '*.pem' | wc -l)
certs=$(( files + files / 10 ))  # every tenth file is leaf + CA
find "$corpus" -type f -name '*.pem' ! -name '*.fullchain.pem' | sort > "$corpus.single"
awk -v n="$(wc -l < "$corpus.single")" -v s="$sample" 'NR % int(n / s) == 0' "$corpus.single" |
  head -n "$sample" > "$corpus.sample"
sampled=$(wc -l < "$corpus.sample")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }
rate() { awk -v c="$1" -v t="$2" 'BEGIN { printf "%.0f", c / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
# The in-process seconds scan_peer.py reports on stderr.
peer_seconds() { "$1" bench/scan_peer.py "$corpus" 2>&1 > /dev/null | awk '/^scan_peer:/ { print $(NF - 1) }'; }
cat $(find "$corpus" -type f) > /dev/null  # warm the page cache once so every tool reads from memory

t0=$(now); $certfleet scan -q -r "$corpus" --json > /dev/null; ours=$(since "$t0")
t0=$(now); $certfleet scan -q -r "$corpus" > /dev/null; ours_table=$(since "$t0")
t0=$(now); $certfleet scan -q -r "$corpus" --csv > /dev/null; ours_csv=$(since "$t0")
py48_t=""
if [[ -n $py48 ]] && $py48 -c 'import cryptography' 2>/dev/null; then
  py48_t=$(peer_seconds "$py48")
fi
py38_t=$(peer_seconds "$debian_python")
t0=$(now)
while read -r f; do cfssl certinfo -cert "$f" > /dev/null; done < "$corpus.sample"
cfssl_t=$(since "$t0")
t0=$(now)
while read -r f; do
  openssl x509 -in "$f" -noout -subject -enddate -fingerprint -sha256 > /dev/null
done < "$corpus.sample"
openssl_t=$(since "$t0")

r_ours=$(rate "$certs" "$ours")
echo "corpus: $files files, $certs certificates, distinct keys ($(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-58s %9s %10s %s\n' "tool" "seconds" "certs/s" "certfleet --json is"
printf '%-58s %9.2f %10s %s\n' "certfleet scan -r --json (whole process, 2 threads)" "$ours" "$r_ours" "-"
printf '%-58s %9.2f %10s %s\n' "certfleet scan -r (table)" "$ours_table" "$(rate "$certs" "$ours_table")" "-"
printf '%-58s %9.2f %10s %s\n' "certfleet scan -r --csv" "$ours_csv" "$(rate "$certs" "$ours_csv")" "-"
if [[ -n $py48_t ]]; then
  printf '%-58s %9.2f %10s %s\n' "cryptography $($py48 -c 'import cryptography; print(cryptography.__version__)') in-process (pyenv $($py48 -c 'import platform; print(platform.python_version())'))" \
    "$py48_t" "$(rate "$certs" "$py48_t")" "$(ratio "$r_ours" "$(rate "$certs" "$py48_t")")"
else
  echo "cryptography 48: not available (no pyenv python 3.11 with cryptography)"
fi
printf '%-58s %9.2f %10s %s\n' "cryptography $($debian_python -c 'import cryptography; print(cryptography.__version__)') in-process (Debian)" \
  "$py38_t" "$(rate "$certs" "$py38_t")" "$(ratio "$r_ours" "$(rate "$certs" "$py38_t")")"
printf '%-58s %9.2f %10s %s\n' "cfssl certinfo, $sampled files, extrapolated" \
  "$(awk -v t="$cfssl_t" -v s="$sampled" -v c="$certs" 'BEGIN { print t / s * c }')" "$(rate "$sampled" "$cfssl_t")" \
  "$(ratio "$r_ours" "$(rate "$sampled" "$cfssl_t")")"
printf '%-58s %9.2f %10s %s\n' "openssl x509 loop, $sampled files, extrapolated" \
  "$(awk -v t="$openssl_t" -v s="$sampled" -v c="$certs" 'BEGIN { print t / s * c }')" "$(rate "$sampled" "$openssl_t")" \
  "$(ratio "$r_ours" "$(rate "$sampled" "$openssl_t")")"

# Same answers: every certificate's path, serial, notAfter and SHA-256 agree with the Python peer.
$certfleet scan -q -r "$corpus" --json > "$corpus.ours.json"
$debian_python bench/scan_peer.py "$corpus" > "$corpus.peer.jsonl" 2> /dev/null
$debian_python - "$corpus.ours.json" "$corpus.peer.jsonl" <<'PY'
import json, sys
ours = sorted((c["path"], c["serial"].lstrip("0"), c["not_after"], c["sha256"])
              for c in json.load(open(sys.argv[1]))["certificates"])
peer = sorted((c["path"], c["serial"].lstrip("0"), c["not_after"], c["sha256"])
              for c in map(json.loads, open(sys.argv[2])))
same = sum(1 for a, b in zip(ours, peer) if a == b)
print(f"agreement with the Python peer: {same} of {len(peer)} certificates (path, serial, notAfter, SHA-256)")
sys.exit(0 if same == len(peer) == len(ours) else 1)
PY

# Memory: peak RSS at N files and at 10 x N files (the corpus hard-linked ten times; keys repeat).
big=build/bench/scan-corpus-$n-x10
if [[ ! -f $big.done ]]; then
  rm -rf "$big"
  mkdir -p "$big"
  for i in 0 1 2 3 4 5 6 7 8 9; do cp -al "$corpus" "$big/copy$i"; done
  touch "$big.done"
fi
rss() { /usr/bin/time -f %M "$certfleet" scan -q -r "$1" --json 2>&1 > /dev/null | tail -n 1; }
small_rss=$(rss "$corpus")
big_rss=$(rss "$big")
echo "peak RSS of scan -r --json: $small_rss KiB at $files files, $big_rss KiB at $(( files * 10 )) files" \
  "($(awk -v a="$big_rss" -v b="$small_rss" 'BEGIN { printf "%.2f", a / b }')x)"
