# inspect --json agrees with `openssl x509` on subject, issuer, serial, dates and fingerprints.
pki=$TESTDATA/pki
for f in root intermediate server expired not_yet_valid client_only ed25519 revoked no_expiry; do
  json=$("$CERTFLEET" inspect --json "$pki/$f.pem")
  field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[0][sys.argv[1]])' "$1" <<<"$json"; }
  fp() { python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["fingerprints"][sys.argv[1]])' "$1" <<<"$json"; }
  ossl() { openssl x509 -in "$pki/$f.pem" -noout -nameopt RFC2253 "$@"; }
  [[ "subject=$(field subject)" == "$(ossl -subject)" ]] || { echo "$f: subject differs"; exit 1; }
  [[ "issuer=$(field issuer)" == "$(ossl -issuer)" ]] || { echo "$f: issuer differs"; exit 1; }
  [[ "serial=$(field serial | tr a-f A-F)" == "$(ossl -serial)" ]] || { echo "$f: serial differs"; exit 1; }
  [[ "sha1 Fingerprint=$(fp sha1)" == "$(ossl -fingerprint -sha1)" ]] || { echo "$f: sha1 differs"; exit 1; }
  [[ "sha256 Fingerprint=$(fp sha256)" == "$(ossl -fingerprint -sha256)" ]] || { echo "$f: sha256 differs"; exit 1; }
  ours_end=$(date -u -d "$(field not_after)" +%s)
  theirs_end=$(date -u -d "$(ossl -enddate | cut -d= -f2)" +%s)
  [[ $ours_end == "$theirs_end" ]] || { echo "$f: not_after differs"; exit 1; }
  ours_start=$(date -u -d "$(field not_before)" +%s)
  theirs_start=$(date -u -d "$(ossl -startdate | cut -d= -f2)" +%s)
  [[ $ours_start == "$theirs_start" ]] || { echo "$f: not_before differs"; exit 1; }
  echo "$f: agrees"
done
# RFC 5280's "no well-defined expiration date" is years ahead, not expired (nanosecond times wrapped to 1816).
"$CERTFLEET" inspect --json "$pki/no_expiry.pem" |
  python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print("no_expiry:", c["not_after"], "expired" if c["expired"] else "valid")'
