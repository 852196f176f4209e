# HAProxy bundles: ours passes `haproxy -c`; a mismatched or mis-ordered one fails it and certfleet
# refuses to write it; the seed 000 splice keeps the key; our bundle is served with its chain.
pki=$TESTDATA/pki
fail() { echo "FAIL: $*" >&2; exit 1; }
check() {  # check BUNDLE: haproxy -c on a minimal config whose crt is BUNDLE; prints the verdict
  sed "s|BUNDLE|$PWD/$1|; s|PORT|${2:-18443}|" > "$1.cfg" <<'CFG'
global
  log stdout format raw local0 err
defaults
  mode http
  timeout connect 1s
  timeout client 2s
  timeout server 2s
frontend fe
  bind 127.0.0.1:PORT ssl crt BUNDLE
  http-request return status 200 content-type text/plain string ok
CFG
  if haproxy -c -f "$1.cfg" > "$1.check" 2>&1; then echo "haproxy -c $1: valid"; else
    echo "haproxy -c $1: rejected ($(grep -o 'inconsistencies between private key and certificate' "$1.check" | head -1))"; fi
}

"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain "$pki/chain.pem" --format haproxy \
  --out site.pem
[[ $(stat -c %a site.pem) == 600 ]] || fail "mode $(stat -c %a site.pem)"
grep -c 'BEGIN CERTIFICATE' site.pem | sed 's/^/certificates in bundle: /'
check site.pem

# What HAProxy itself rejects (made by hand) and certfleet refuses to make.
cat "$pki/server.pem" "$pki/intermediate.pem" "$pki/other.key" > mismatched.pem
check mismatched.pem
cat "$pki/intermediate.pem" "$pki/server.pem" "$pki/server.key" > intermediate_first.pem
check intermediate_first.pem
# HAProxy 2.6 accepts a leaf followed by issuers in the wrong order (it only sends them): certfleet refuses.
cat "$pki/server.pem" "$pki/root.pem" "$pki/intermediate.pem" "$pki/server.key" > issuers_reversed.pem
check issuers_reversed.pem
cat "$pki/root.pem" "$pki/intermediate.pem" > reversed_chain.pem
set +e
for args in "--key $pki/other.key --chain $pki/chain.pem" "--key $pki/server.key --chain reversed_chain.pem" \
            "--key $pki/server.key --chain $pki/root.pem"; do
  # shellcheck disable=SC2086
  "$CERTFLEET" bundle --cert "$pki/server.pem" $args --format haproxy --out refused.pem 2>err.txt
  echo "certfleet refuses: exit $? $(sed "s|$pki/||g" err.txt)"
done
set -e
[[ ! -e refused.pem ]] || fail "a refused bundle was written"

# Splice (seed 000): a new certificate for the same key replaces the old one; the key is kept.
mkdir bak
cp site.pem before.pem
"$CERTFLEET" bundle --format haproxy --splice site.pem --cert "$pki/expired.pem" --backup-dir bak | sed 's/(previous kept as .*\/bak\/[0-9TZ]*-[0-9a-f]*\/.*\/site.pem)/(previous kept)/'
cmp -s bak/*"$PWD"/site.pem before.pem || fail "backup differs"
[[ $(openssl x509 -in site.pem -noout -enddate) == $(openssl x509 -in "$pki/expired.pem" -noout -enddate) ]] ||
  fail "new certificate not spliced"
[[ $(sed -n '/BEGIN PRIVATE KEY/,$p' site.pem) == $(sed -n '/BEGIN PRIVATE KEY/,$p' before.pem) ]] || fail "key changed"
grep -c 'BEGIN CERTIFICATE' site.pem | sed 's/^/certificates after splice: /'
check site.pem
# A certificate for another key: refused, the bundle left as it was.
cp site.pem spliced.pem
set +e
"$CERTFLEET" bundle --format haproxy --splice site.pem --cert "$pki/ed25519.pem" 2>err.txt
echo "splice with another key: exit $? $(sed "s|$pki/||g" err.txt)"
set -e
cmp -s site.pem spliced.pem || fail "refused splice changed the bundle"

# Serve the fresh bundle on loopback and read the chain back with s_client.
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --chain "$pki/chain.pem" --format haproxy \
  --out serve.pem >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
check serve.pem "$port" >/dev/null
haproxy -db -f serve.pem.cfg >haproxy.log 2>&1 &
hp=$!
trap 'kill $hp 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if openssl s_client -connect "127.0.0.1:$port" -servername node1.example.com -showcerts -CAfile "$pki/root.pem" \
       </dev/null >sclient.txt 2>&1; then break; fi
  sleep 0.1
done
grep -E '^ *[0-9] s:' sclient.txt | sed 's/^ *//'
grep -o 'Verify return code: 0 (ok)' sclient.txt | head -1
kill $hp
