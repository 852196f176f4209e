# Seed 004 end to end (CloudStack's custom certificate upload): `chain check` applies the upload rules
# offline to every case the seed's troubleshooting list is about, with its exit status; `chain upload`
# records the chain, writes the Apache files and puts the root into the SSVM's Java keystore, and a redo
# by the same name replaces the chain while the old one stays in the history. openssl verifies the
# written files in order and keytool reads the keystore.
export OPENSSL_CONF=/dev/null
c=$TESTDATA/chain
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
export CERTFLEET_CA_PASSPHRASE="store passphrase"

# check NAME ARGS...: prints the command's output and its exit status.
check() {
  local name=$1; shift
  echo "== $name"
  set +e
  "$CERTFLEET" chain check "$@" 2> stderr.txt
  local rc=$?
  set -e
  echo "exit $rc"
}
full=(--root "$c/root.pem" --intermediate "$c/sub1.pem" --intermediate "$c/sub2.pem")

check clean "${full[@]}" --cert "$c/server.pem" --key "$c/server.key" --domain-suffix cloud.example.com
check "missing root (no --root)" --intermediate "$c/sub1.pem" --cert "$c/server.pem" --key "$c/server.key"
grep -q -- "--root is required" stderr.txt || { echo "no usage message for a missing root"; exit 1; }
check "missing root (an intermediate given as root)" --root "$c/sub1.pem" --intermediate "$c/sub2.pem" \
  --cert "$c/server.pem" --key "$c/server.key"
check "missing intermediate" --root "$c/root.pem" --intermediate "$c/sub1.pem" --cert "$c/server.pem" \
  --key "$c/server.key"
check "wrong order" --root "$c/root.pem" --intermediate "$c/sub2.pem" --intermediate "$c/sub1.pem" \
  --cert "$c/server.pem" --key "$c/server.key"
check "self-signed server certificate" --root "$c/root.pem" --cert "$c/self_signed.pem" --key "$c/self_signed.key"
check "key mismatch" "${full[@]}" --cert "$c/server.pem" --key "$c/other.key"
check "name not covered" "${full[@]}" --cert "$c/server.pem" --key "$c/server.key" --domain-suffix example.org
check "URL-encoded input" --root "$c/root.url.txt" --intermediate "$c/sub1.url.txt" \
  --intermediate "$c/sub2.url.txt" --cert "$c/server.url.txt" --key "$c/server.key.url.txt" \
  --domain-suffix cloud.example.com
printf 'not a certificate\n' > junk.pem
check "unreadable input" --root junk.pem --cert "$c/server.pem" --key "$c/server.key"

# --url-encode prints what Python's urllib.quote makes of each certificate, root first, then of the key.
"$CERTFLEET" chain check "${full[@]}" --cert "$c/server.pem" --key "$c/server.key" --url-encode > encoded.txt
i=0
for f in root sub1 sub2 server; do
  i=$((i + 1))
  line=$(grep -v '^OK' encoded.txt | sed -n "${i}p")
  want=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe="/"))' "$c/$f.pem")
  [[ ${line#* } == "$want" ]] || { echo "url-encoded $f differs from urllib.quote"; exit 1; }
done
echo "url-encode: $(grep -v '^OK' encoded.txt | cut -d' ' -f1 | tr '\n' ' ')"

# JSON report: codes and indexes.
set +e
"$CERTFLEET" chain check --root "$c/root.pem" --intermediate "$c/sub1.pem" --cert "$c/server.pem" \
  --key "$c/server.key" --json > report.json
echo "json exit $?"
set -e
python3 -c 'import json; r=json.load(open("report.json")); print("json:", r["clean"], [(f["code"], f["certificate_index"]) for f in r["findings"]], [c["role"] for c in r["certificates"]])'

# The SSVM's keystore already holds other entries: the upload adds the root and keeps them.
printf 'vmops.com\n' > storepass
keytool -importcert -noprompt -alias existing -file "$TESTDATA/pki/root.pem" -keystore realhostip.keystore \
  -storetype JKS -storepass vmops.com > /dev/null 2>&1
mkdir apache
stamp='s/\.[0-9]{8}T[0-9]{6}Z(\.[0-9]+)?\.bak/.TIMESTAMP.bak/'
upload=(--name cpvm --domain-suffix cloud.example.com "${full[@]}" --out-dir apache
        --truststore realhostip.keystore --truststore-password-file storepass)

echo "== upload with a wrong key"
set +e
"$CERTFLEET" chain upload "${upload[@]}" --cert "$c/server.pem" --key "$c/other.key"
echo "exit $?"
set -e
[[ ! -e apache/server.crt ]] || { echo "files written for a failed check"; exit 1; }

echo "== upload"
"$CERTFLEET" chain upload "${upload[@]}" --cert "$c/server.pem" --key "$c/server.key" | sed -E "$stamp"
[[ $(stat -c %a apache/server.key) == 600 ]] || { echo "key mode"; exit 1; }
openssl verify -CAfile apache/01-root.crt -untrusted apache/02-intermediate-1.crt \
  -untrusted apache/03-intermediate-2.crt apache/04-server.crt
openssl verify -CAfile apache/01-root.crt -untrusted apache/chain.crt apache/server.crt
[[ $(openssl pkey -in apache/server.key -pubout) == $(openssl x509 -in apache/server.crt -pubkey -noout) ]] \
  || { echo "apache key does not match"; exit 1; }
keytool -list -keystore realhostip.keystore -storepass vmops.com 2>/dev/null | grep -E '^(existing|root),' | awk -F', ' '{ print $1, $4 }'
root_fp=$(openssl x509 -in "$c/root.pem" -noout -fingerprint -sha256 | cut -d= -f2)
keytool -list -keystore realhostip.keystore -storepass vmops.com -alias root 2>/dev/null | grep -q "$root_fp" \
  || { echo "the keystore's root is not the uploaded root"; exit 1; }

echo "== redo by same name"
"$CERTFLEET" chain upload "${upload[@]}" --cert "$c/server2.pem" --key "$c/server2.key" \
  | sed -E "$stamp"
cmp -s apache/server.crt "$c/server2.pem" || { echo "server.crt not replaced"; exit 1; }
ls apache/server.crt.*.bak > /dev/null || { echo "no backup of server.crt"; exit 1; }
keytool -list -keystore realhostip.keystore -storepass vmops.com 2>/dev/null | grep -cE '^(existing|root),' \
  | sed 's/^/keystore entries: /'

echo "== list"
"$CERTFLEET" chain list | awk '{ print $1, $2, $3, $4, $5 }'
echo "== list --history"
"$CERTFLEET" chain list --history | awk '{ print $1, $2, $3, $4, $5 }'
"$CERTFLEET" chain list --history --json > history.json
python3 - "$c" <<'PY'
import json, subprocess, sys
history = json.load(open("history.json"))
assert [h["seq"] for h in history] == [2, 1], history
assert history[0]["replaced_at"] is None and history[1]["replaced_at"] is not None
def serial(path):
    out = subprocess.run(["openssl", "x509", "-in", path, "-noout", "-serial"], capture_output=True, text=True).stdout
    return out.strip().split("=")[1].lower().lstrip("0")
assert history[0]["certificates"][0]["serial"].lstrip("0") == serial(sys.argv[1] + "/server2.pem")
assert history[1]["certificates"][0]["serial"].lstrip("0") == serial(sys.argv[1] + "/server.pem")
print("history: current is the redo, the first upload kept")
PY
