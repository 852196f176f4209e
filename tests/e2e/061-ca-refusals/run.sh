# What the CA commands refuse, and that nothing is left half-made (issue 18): a failed ca init leaves no
# database, a malformed profiles file is named, a CA without subjectKeyIdentifier is refused at import
# (it used to import, then fail every issuance with exit 70), errors name the files, and every wrong
# passphrase is in the audit log, which --ca filters.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
cf=$CERTFLEET
fail() { echo "FAIL: $*" >&2; exit 1; }
run_rc() { set +e; "$@" > out.txt 2> err.txt; rc=$?; set -e; }
printf 'store passphrase\n' > pw
printf 'wrong\n' > bad

# A failed ca init (a bad subject; a profile misplaced at the top level) leaves no database behind.
run_rc $cf ca init --name main --subject "CN=Root,X=1" --passphrase-file pw
[[ $rc == 2 && ! -e certfleet.db ]] || fail "ca init with a bad subject: exit $rc, database left: $(ls)"
printf 'server: 5\n' > profiles.yaml
run_rc $cf ca init --name main --subject "CN=Root" --profiles profiles.yaml --passphrase-file pw
[[ $rc == 2 && ! -e certfleet.db ]] || fail "ca init with server: 5: exit $rc, database left: $(ls)"
grep -q 'server: unknown field' err.txt || fail "profiles error does not name the field: $(cat err.txt)"
printf 'profiles:\n  server: 5\n' > profiles.yaml
run_rc $cf ca init --name main --subject "CN=Root" --profiles profiles.yaml --passphrase-file pw
[[ $rc == 2 ]] && grep -q 'profiles.server: expected a map' err.txt || fail "profiles.server: 5: exit $rc: $(cat err.txt)"
echo "failed ca init: exit 2, the field named, no database left"

# A CA certificate without subjectKeyIdentifier is refused at import, naming the file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout noski.key -subj "/CN=Legacy CA" \
  -days 3650 -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=none" -addext "authorityKeyIdentifier=none" -out noski.pem 2>/dev/null
! openssl x509 -in noski.pem -noout -ext subjectKeyIdentifier 2>/dev/null | grep -q . || fail "openssl added an SKI"
run_rc $cf ca import --name legacy --cert noski.pem --key noski.key --passphrase-file pw
[[ $rc == 2 ]] && grep -q 'noski.pem: "CN=Legacy CA" has no subjectKeyIdentifier' err.txt ||
  fail "import without SKI: exit $rc: $(cat err.txt)"
[[ ! -e certfleet.db ]] || fail "a refused import left a database"
echo "ca import of a CA without subjectKeyIdentifier: refused (exit 2), naming the file"

# A wrong key passphrase names the key file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout corp.key -passout pass:oldpass \
  -subj "/CN=Corp CA" -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out corp.pem 2>/dev/null
run_rc $cf ca import --name corp --cert corp.pem --key corp.key --key-passphrase-file bad --passphrase-file pw
[[ $rc == 3 ]] && grep -q 'corp.key: wrong passphrase' err.txt || fail "wrong key passphrase: exit $rc: $(cat err.txt)"
echo "wrong key passphrase at import: names corp.key"

# Wrong passphrases are refusals, and the audit log has them; --ca shows one authority's lines.
$cf ca init --name main --subject "CN=Main Root" --passphrase-file pw >/dev/null
printf 'another long passphrase\n' > other
run_rc $cf ca init --name second --subject "CN=Second Root" --passphrase-file other
[[ $rc == 3 ]] || fail "ca init with another passphrase: exit $rc"
run_rc $cf cert issue --ca main --subject CN=x.example.com --out-dir x --passphrase-file bad
[[ $rc == 3 ]] || fail "cert issue with a wrong passphrase: exit $rc"
$cf ca audit --json > audit.json
python3 - audit.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
refused = sorted((r["action"], r["target"]) for r in rows if r["outcome"] == "refused: wrong passphrase")
assert refused == [("authority.create", "second"), ("authority.unlock", "main")], refused
assert all(r["actor"].startswith("cli:") for r in rows), rows
PY
$cf ca audit --ca main --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert rows and all(r["target"] != "second" for r in rows), rows'
echo "wrong passphrases: exit 3, in the audit log (authority.create, authority.unlock); --ca filters"
