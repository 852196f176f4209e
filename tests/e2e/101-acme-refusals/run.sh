# What an ACME client must be refused, with curl and JWS signed by python3-cryptography (jws.py): a
# replayed nonce (badNonce, with a fresh Replay-Nonce), identifiers the policy refuses and a wildcard
# (rejectedIdentifier naming the rule), a finalize before the order is ready (orderNotReady), a JWS whose
# "url" is not the request's, onlyReturnExisting for an unknown key, a plain GET on a POST-as-GET resource
# (405). Every answer, errors included, carries Replay-Nonce and Link rel="index".
source "$SCENARIO/../acme_fixtures.sh"
jws="$py $SCENARIO/jws.py"
start_acme_server
header() { grep -i "^$1:" h.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
# post URL BODYFILE: prints the status; headers in h.txt, body in b.json; checks the headers every answer has
post() {
  local code
  code=$(curl -sS --cacert root.pem -D h.txt -o b.json -w '%{http_code}' -H 'Content-Type: application/jose+json' \
    --data-binary "@$2" "$1")
  [[ -n $(header Replay-Nonce) ]] || fail "no Replay-Nonce on HTTP $code from $1"
  grep -qi "^link: <$acme/directory>;rel=\"index\"" h.txt || fail "no Link rel=index on HTTP $code from $1"
  echo "$code"
}
problem() { $py -c 'import json; d=json.load(open("b.json")); print(d["type"].rsplit(":", 1)[1] + ":", d["detail"])'; }

code=$(curl -sS --cacert root.pem -I -o /dev/null -D h.txt -w '%{http_code}' "$acme/new-nonce")
nonce=$(header Replay-Nonce)
echo "HEAD new-nonce: HTTP $code, Cache-Control $(header Cache-Control)"
echo "GET new-nonce: HTTP $(curl -sS --cacert root.pem -o /dev/null -w '%{http_code}' "$acme/new-nonce")"

$jws account.key "$acme/new-account" "$nonce" '{"termsOfServiceAgreed": true, "contact": ["mailto:ops@acme.test"]}' > new-account.json
echo "new-account: HTTP $(post "$acme/new-account" new-account.json)"
kid=$(header Location)
[[ $kid == "$acme/acct/"* ]] || fail "Location $kid"
echo "the same request again: HTTP $(post "$acme/new-account" new-account.json) $(problem | cut -d: -f1)"
# From here each request takes the nonce of the answer before it (h.txt), the badNonce answer's included.

order() {   # order PAYLOAD: newOrder with the last answer's nonce
  $jws account.key "$acme/new-order" "$(header Replay-Nonce)" "$1" "$kid" > req.json
  post "$acme/new-order" req.json
}
echo "new-order evil.example.org: HTTP $(order '{"identifiers": [{"type": "dns", "value": "evil.example.org"}]}')"
problem
echo "new-order *.acme.test: HTTP $(order '{"identifiers": [{"type": "dns", "value": "*.acme.test"}]}')"
problem
echo "new-order ip: HTTP $(order '{"identifiers": [{"type": "ip", "value": "10.0.0.1"}]}')"
problem
before=$($cf cert list --json | $py -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "new-order www.acme.test: HTTP $(order '{"identifiers": [{"type": "dns", "value": "www.acme.test"}]}')"
order_url=$(header Location)
finalize=$($py -c 'import json; print(json.load(open("b.json"))["finalize"])')
$jws account.key "$finalize" "$(header Replay-Nonce)" "{\"csr\": \"$($jws cert.key csr www.acme.test)\"}" "$kid" > req.json
echo "finalize while pending: HTTP $(post "$finalize" req.json)"
problem
$jws account.key "https://elsewhere.example/acme/main/new-order" "$(header Replay-Nonce)" '{"identifiers": []}' "$kid" > req.json
echo "a JWS url that is not the request's: HTTP $(post "$acme/new-order" req.json) $(problem | cut -d: -f1)"
$jws other.key "$acme/new-account" "$(header Replay-Nonce)" '{"onlyReturnExisting": true}' > req.json
echo "onlyReturnExisting, unknown key: HTTP $(post "$acme/new-account" req.json) $(problem | cut -d: -f1)"
code=$(curl -sS --cacert root.pem -D h.txt -o b.json -w '%{http_code}' "$order_url")
echo "plain GET on the order: HTTP $code, Allow $(header Allow), Replay-Nonce $([[ -n $(header Replay-Nonce) ]] && echo present)"
$jws account.key "$order_url" "$(header Replay-Nonce)" "" "$kid" > req.json
echo "POST-as-GET on the order: HTTP $(post "$order_url" req.json) $($py -c 'import json; print(json.load(open("b.json"))["status"])')"
[[ $($cf cert list --json | $py -c 'import json,sys; print(len(json.load(sys.stdin)))') == "$before" ]] || fail "a refusal issued"
echo "refusals issued nothing"
stop_acme_server
