# certfleet verify: clean chains exit 0; each kind of problem is reported with its stable code and
# exit 1; unreadable input exits 2; several certificates in one run; JSON; and agreement with the
# real `openssl verify` on accept/reject.
pki=$TESTDATA/pki
cp "$pki"/{root,intermediate,chain,server,expired,client_only,fullchain}.pem "$pki"/{other.key,server.key,truncated.der,bad_base64.pem} .
at=2026-06-01

# verify ARGS...: runs certfleet verify, keeps stdout in out.txt, prints "rc=N".
verify() {
  set +e
  "$CERTFLEET" verify --at "$at" "$@" > out.txt 2> err.txt
  local rc=$?
  set -e
  echo "rc=$rc"
}
# The code field of every finding line ("FILE: CODE: message").
codes() { grep -vE ': (OK|FAILED, [0-9]+ findings?) \(chain' out.txt | cut -d: -f2 | tr -d ' ' | sort | tr '\n' ' '; echo; }

echo "== clean"
verify --trust root.pem --chain chain.pem --host node1.example.com --ip 10.0.0.1 --purpose peer --key server.key \
  --issuer "CN=certfleet Test Sub CA,O=certfleet tests" --min-remaining 30d server.pem
cat out.txt

echo "== wrong host"
verify --trust root.pem --chain chain.pem --host node2 server.pem
codes
grep -c 'cert 0 (CN=node1.example.com): not valid for host "node2"' out.txt

echo "== expired"
verify --trust root.pem --chain chain.pem expired.pem
codes

echo "== key mismatch"
verify --trust root.pem --chain chain.pem --key other.key server.pem
codes
grep -c 'key does not match cert 0 (CN=node1.example.com)' out.txt

echo "== incomplete chain"
verify --trust root.pem server.pem
codes
tail -n 1 out.txt

echo "== wrong purpose"
verify --trust root.pem --chain chain.pem --purpose server client_only.pem
codes

echo "== several problems, all reported"
verify --trust root.pem --chain chain.pem --host node2 --purpose server --key other.key --min-remaining 100y expired.pem
codes

echo "== several certificates in one run"
verify --trust root.pem --chain chain.pem --purpose server server.pem expired.pem client_only.pem fullchain.pem
grep -E '\((chain)' out.txt | sed -E 's/ \(chain: .*//'

echo "== json"
verify --trust root.pem --chain chain.pem --purpose server --json server.pem client_only.pem
python3 - <<'PY'
import json
for item in json.load(open("out.txt")):
    print(item["file"], item["status"], len(item["chain"]),
          [(f["code"], f["certificate_index"]) for f in item["findings"]])
PY

echo "== unreadable input"
verify --trust root.pem truncated.der
verify --trust root.pem bad_base64.pem
verify --trust root.pem missing.pem
verify --trust missing-ca.pem server.pem
echo "== unreadable among readable: the others are still verified"
verify --trust root.pem --chain chain.pem server.pem truncated.der
grep -c 'server.pem: OK' out.txt
grep -c 'truncated.der' err.txt

echo "== agrees with openssl verify"
attime=$(date -u -d "$at" +%s)
agree() {  # agree NAME OPENSSL_ARGS -- CERTFLEET_ARGS
  local name=$1; shift
  local ossl=() ours=()
  while [[ $1 != -- ]]; do ossl+=("$1"); shift; done; shift
  ours=("$@")
  local o c
  if openssl verify -attime "$attime" "${ossl[@]}" > /dev/null 2>&1; then o=accept; else o=reject; fi
  if "$CERTFLEET" verify --at "$at" "${ours[@]}" > /dev/null 2>&1; then c=accept; else c=reject; fi
  [[ $o == "$c" ]] || { echo "$name: openssl says $o, certfleet says $c"; exit 1; }
  echo "$name: both $o"
}
agree "valid chain" -CAfile root.pem -untrusted chain.pem server.pem -- --trust root.pem --chain chain.pem server.pem
agree "fullchain file" -CAfile root.pem -untrusted fullchain.pem fullchain.pem -- --trust root.pem fullchain.pem
agree "expired" -CAfile root.pem -untrusted chain.pem expired.pem -- --trust root.pem --chain chain.pem expired.pem
agree "wrong host" -CAfile root.pem -untrusted chain.pem -verify_hostname node2 server.pem \
  -- --trust root.pem --chain chain.pem --host node2 server.pem
agree "wildcard host" -CAfile root.pem -untrusted chain.pem -verify_hostname x.apps.example.com server.pem \
  -- --trust root.pem --chain chain.pem --host x.apps.example.com server.pem
agree "no intermediate" -CAfile root.pem server.pem -- --trust root.pem server.pem
agree "client cert as server" -CAfile root.pem -untrusted chain.pem -purpose sslserver client_only.pem \
  -- --trust root.pem --chain chain.pem --purpose server client_only.pem
