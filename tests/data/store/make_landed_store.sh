#!/usr/bin/env bash
# Makes landed-v3.db: a store written by the release before issuer generations (schema version 3, commit
# 489d9e6, "external import: judge the signed certificates in place"), so the migration test can prove a
# database made by that release still issues, lists and revokes. Run once with that release's binary:
#   tests/data/store/make_landed_store.sh /path/to/old/certfleet tests/data/store
# The database is committed; this script records how it was made.
set -euo pipefail
cf=$1
out=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$work/landed-v3.db"
printf 'legacy store passphrase\n' > ca.pass
"$cf" ca init --name legacy --subject "CN=Legacy Root,O=certfleet tests" --intermediate --passphrase-file ca.pass
"$cf" cert issue --subject CN=kept.example.com --san DNS:kept.example.com --out-dir kept --passphrase-file ca.pass
"$cf" cert issue --subject CN=gone.example.com --san DNS:gone.example.com --out-dir gone --passphrase-file ca.pass
serial=$(openssl x509 -in gone/cert.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
"$cf" cert revoke "$serial" --reason superseded
"$cf" crl generate --out crl.pem --passphrase-file ca.pass
# A custom chain (seed 004) sealed with the same passphrase.
"$cf" ca export --root-only --out root.pem
"$cf" cert issue --subject "CN=*.cloud.example.com" --san "DNS:*.cloud.example.com" --out-dir wild \
  --passphrase-file ca.pass
"$cf" chain upload --name cpvm --domain-suffix cloud.example.com --root root.pem \
  --intermediate wild/chain.pem --cert wild/cert.pem --key wild/key.pem --passphrase-file ca.pass
sqlite3_checkpoint() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.execute("PRAGMA journal_mode=DELETE"); c.close()' "$1"; }
sqlite3_checkpoint landed-v3.db
cp landed-v3.db "$out/landed-v3.db"
cp kept/cert.pem "$out/landed-kept.pem"
echo "wrote $out/landed-v3.db"
