# certbot 2.1 (Debian) against `certfleet serve`'s ACME server: certonly --standalone (http-01) for two
# names with an ECDSA key and for one with RSA, renew --force-renewal, revoke --reason keycompromise (then
# the serial is on the CRL the server publishes), and --csr mode (the certificate is for the CSR's key).
# The names (*.acme.test) resolve to 127.0.0.1 through the server's acme.resolve; the CA connects to
# certbot's standalone server on acme.http01.port. certbot trusts the server through REQUESTS_CA_BUNDLE.
source "$SCENARIO/../acme_fixtures.sh"
http01=$(free_port)
start_acme_server "  http01: {port: $http01, timeout: 5s}
  resolve: {\"*.acme.test\": 127.0.0.1}"

directory="$url/acme/main/directory"
export REQUESTS_CA_BUNDLE=$PWD/root.pem
dirs=(--config-dir "$PWD/cb/config" --work-dir "$PWD/cb/work" --logs-dir "$PWD/cb/logs")
certbot_run() {   # certbot_run VERB ARGS...: prints nothing, leaves the output in certbot.out
  local verb=$1; shift
  if ! timeout 120 certbot "$verb" --non-interactive "${dirs[@]}" "$@" > certbot.out 2>&1; then
    cat certbot.out >&2; tail -50 cb/logs/letsencrypt.log >&2; tail -30 server.log >&2
    fail "certbot $verb"
  fi
}
standalone=(--server "$directory" --agree-tos -m ops@acme.test --standalone --preferred-challenges http
            --http-01-address 127.0.0.1 --http-01-port "$http01")
names() { openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | tr -d ' '; }
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr A-F a-f | sed 's/^0*//'; }
verify() { openssl verify -CAfile root.pem -untrusted "$1/chain.pem" "$1/cert.pem" >/dev/null || fail "openssl verify $1"; }

certbot_run certonly "${standalone[@]}" --cert-name ec -d www.acme.test -d api.acme.test --key-type ecdsa
grep -o 'Successfully received certificate.' certbot.out
live=cb/config/live
verify $live/ec
echo "ecdsa: $(names $live/ec/cert.pem) $(openssl x509 -in $live/ec/cert.pem -noout -text | grep -o 'id-ecPublicKey' | head -1)"
openssl x509 -in $live/ec/cert.pem -noout -pubkey > a.pub; openssl pkey -in $live/ec/privkey.pem -pubout > b.pub
cmp -s a.pub b.pub || fail "the certificate is not for certbot's key"
$cf cert show "$(serial $live/ec/cert.pem)" | $py -c "import json,sys; d=json.load(sys.stdin); print('ledger requester:', d['requester'].split('/')[0] + '/ID')"

certbot_run certonly "${standalone[@]}" --cert-name rsa -d www.acme.test --key-type rsa --rsa-key-size 2048
verify $live/rsa
echo "rsa: $(names $live/rsa/cert.pem) $(openssl x509 -in $live/rsa/cert.pem -noout -text | grep -o 'rsaEncryption' | head -1)"

before_ec=$(serial $live/ec/cert.pem); before_rsa=$(serial $live/rsa/cert.pem)
certbot_run renew --force-renewal --no-random-sleep-on-renew
verify $live/ec; verify $live/rsa
[[ $(serial $live/ec/cert.pem) != "$before_ec" && $(serial $live/rsa/cert.pem) != "$before_rsa" ]] || fail "renew kept a serial"
echo "renew --force-renewal: both renewed, names kept: $(names $live/ec/cert.pem)"

revoked=$(serial $live/ec/cert.pem)
certbot_run revoke --server "$directory" --cert-path $live/ec/cert.pem --reason keycompromise --no-delete-after-revoke
echo "revoke: $(grep -o 'Congratulations! You have successfully revoked the certificate' certbot.out)"
curl -sf --cacert root.pem "$url/v1/crl" -o crl.der
openssl crl -inform DER -in crl.der -noout -text > crl.txt
grep -i -A4 "Serial Number: 0*$revoked\$" crl.txt | grep -q 'Key Compromise' || { cat crl.txt >&2; fail "serial $revoked not on the CRL as keyCompromise"; }
echo "the CRL lists the serial: keyCompromise"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout csr.key -subj /CN=csr.acme.test \
  -addext "subjectAltName=DNS:csr.acme.test" -out csr.pem 2>/dev/null
mkdir -p out
certbot_run certonly "${standalone[@]}" --csr csr.pem --cert-path out/cert.pem --chain-path out/chain.pem \
  --fullchain-path out/fullchain.pem
verify out
openssl x509 -in out/cert.pem -noout -pubkey > c.pub; openssl req -in csr.pem -noout -pubkey > d.pub
cmp -s c.pub d.pub || fail "--csr: the certificate is not for the CSR's key"
echo "--csr: $(names out/cert.pem), the CSR's key"
stop_acme_server
