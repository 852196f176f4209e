# External account binding (RFC 8555 7.3.4) with acme.external_account_required: the directory says so and
# certbot 2.1 without --eab-kid stops before registering; the server refuses a newAccount without a binding
# (externalAccountRequired) and certbot with a wrong HMAC key (unauthorized); certbot with the kid and key
# gets a certificate (http-01 on loopback, as in 100); a second account with that kid is refused (curl +
# ../101-acme-refusals/jws.py + eab.py); the server refuses a keys file that others can read, and never logs
# a key.
source "$SCENARIO/../acme_fixtures.sh"
jws="$py $SCENARIO/../101-acme-refusals/jws.py"
eab="$py $SCENARIO/eab.py"
b64key() { $py -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode())'; }
hmac1=$(b64key); hmac2=$(b64key); wrong=$(b64key)
printf '# kid HMAC key (base64url)\nlab-1 %s\nlab-2 %s\n' "$hmac1" "$hmac2" > eab.keys
chmod 600 eab.keys
http01=$(free_port)
start_acme_server "  http01: {port: $http01, timeout: 5s}
  resolve: {\"*.acme.test\": 127.0.0.1}
  external_account_required: true
  eab_keys_file: $PWD/eab.keys"
echo "directory meta.externalAccountRequired: $(curl -sf --cacert root.pem "$acme/directory" | $py -c 'import json,sys; print(json.load(sys.stdin)["meta"]["externalAccountRequired"])')"

export REQUESTS_CA_BUNDLE=$PWD/root.pem
dirs=(--config-dir "$PWD/cb/config" --work-dir "$PWD/cb/work" --logs-dir "$PWD/cb/logs")
standalone=(--server "$acme/directory" --agree-tos -m ops@acme.test --standalone --preferred-challenges http
            --http-01-address 127.0.0.1 --http-01-port "$http01" --cert-name eab -d www.acme.test)
certbot_refused() {   # certbot_refused ARGS...: certbot certonly must fail; its output in certbot.out
  local rc=0
  timeout 60 certbot certonly --non-interactive "${dirs[@]}" "${standalone[@]}" "$@" > certbot.out 2>&1 || rc=$?
  [[ $rc -ne 0 ]] || { cat certbot.out >&2; fail "certbot $* was not refused"; }
}
certbot_refused
echo "certbot without EAB: $(grep -o 'Server requires external account binding' certbot.out | head -1)"
# --eab-hmac-key=KEY, one word: a base64url key may begin with "-", which argparse takes for an option.
certbot_refused --eab-kid lab-1 --eab-hmac-key="$wrong"
grep -q 'unauthorized' certbot.out cb/logs/letsencrypt.log || { cat certbot.out >&2; fail "no unauthorized"; }
echo "certbot with a wrong HMAC key: unauthorized, $(grep -o 'the MAC does not verify with the key of "kid" "lab-1"' certbot.out | head -1)"
if ! timeout 120 certbot certonly --non-interactive "${dirs[@]}" "${standalone[@]}" --eab-kid lab-1 --eab-hmac-key="$hmac1" > certbot.out 2>&1; then
  cat certbot.out >&2; tail -50 cb/logs/letsencrypt.log >&2; tail -30 server.log >&2; fail "certbot with EAB"
fi
echo "certbot with --eab-kid lab-1: $(grep -o 'Successfully received certificate.' certbot.out)"
openssl verify -CAfile root.pem -untrusted cb/config/live/eab/chain.pem cb/config/live/eab/cert.pem >/dev/null || fail "openssl verify"

header() { grep -i "^$1:" h.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
post() {   # post URL BODYFILE: prints the status; headers in h.txt, body in b.json
  curl -sS --cacert root.pem -D h.txt -o b.json -w '%{http_code}' -H 'Content-Type: application/jose+json' \
    --data-binary "@$2" "$1"
}
problem() { $py -c 'import json; d=json.load(open("b.json")); print(d["type"].rsplit(":", 1)[1] + ":", d["detail"])'; }
nonce=$(curl -sS --cacert root.pem -I -o /dev/null -D h.txt "$acme/new-nonce" && header Replay-Nonce)
$jws other.key "$acme/new-account" "$nonce" '{"termsOfServiceAgreed": true}' > req.json
echo "curl newAccount without a binding: HTTP $(post "$acme/new-account" req.json) $(problem)"
account_payload() { echo "{\"termsOfServiceAgreed\": true, \"externalAccountBinding\": $($eab other.key "$acme/new-account" "$1" "$2")}"; }
$jws other.key "$acme/new-account" "$(header Replay-Nonce)" "$(account_payload lab-1 "$hmac1")" > req.json
echo "curl newAccount with lab-1 again: HTTP $(post "$acme/new-account" req.json) $(problem | sed 's/account [0-9]*/account N/')"
$jws other.key "$acme/new-account" "$(header Replay-Nonce)" "$(account_payload lab-2 "$hmac2")" > req.json
echo "curl newAccount with lab-2: HTTP $(post "$acme/new-account" req.json), binding returned: $($py -c 'import json; print(json.load(open("b.json"))["externalAccountBinding"]["protected"] != "")')"
for k in "$hmac1" "$hmac2" "$wrong"; do grep -qF "$k" server.log && fail "an HMAC key in the log"; done
stop_acme_server

chmod 640 eab.keys
rc=0; timeout 20 $cf serve --config server.yaml > serve.out 2>&1 || rc=$?
echo "serve with a group-readable eab_keys_file: exit $rc, $(grep -o 'lets group or others read or write it' serve.out)"
