# Hostile or odd inputs (issue 18): secret files that are not files, secrets in argv, FIFOs, link loops,
# unreadable directories, text that is not UTF-8, a world-writable umask. Each answer names the file,
# exits non-zero where input is bad, and never loses the rest of a report.
pki=$TESTDATA/pki
fail() { echo "FAIL: $*" >&2; exit 1; }
in=(--cert "$pki/server.pem" --key "$pki/server.key" --chain "$pki/chain.pem")
# run_rc CMD...: runs CMD (stdout to out.txt, stderr to err.txt) and prints nothing; the exit code is in $rc.
run_rc() { set +e; timeout 20 "$@" > out.txt 2> err.txt; rc=$?; set -e; }

# Password files: a directory, an empty file and /dev/zero are refused by name (they used to write a
# keystore with the empty password, or read gigabytes); --empty-password is the explicit way.
mkdir pwdir; : > empty.txt
for bad in pwdir empty.txt /dev/zero; do
  run_rc "$CERTFLEET" bundle "${in[@]}" --format pkcs12 --password-file "$bad" --out "bad.p12"
  [[ $rc == 2 ]] || fail "--password-file $bad: exit $rc"
  grep -q "$bad" err.txt || fail "--password-file $bad: error does not name it: $(cat err.txt)"
  [[ ! -e bad.p12 ]] || fail "--password-file $bad: wrote a keystore"
done
grep -q 'empty-password' <("$CERTFLEET" bundle "${in[@]}" --format pkcs12 --password-file empty.txt --out x.p12 2>&1 || true) ||
  fail "an empty password file does not point at --empty-password"
"$CERTFLEET" bundle "${in[@]}" --format pkcs12 --empty-password --out empty.p12 >/dev/null
openssl pkcs12 -in empty.p12 -passin pass: -nokeys -noout 2>/dev/null || fail "openssl cannot open the --empty-password keystore"
echo "password files: directory, empty file and /dev/zero refused (exit 2); --empty-password explicit"
printf 'changeit\n' > pw
"$CERTFLEET" bundle "${in[@]}" --format pkcs12 --password-file <(printf 'changeit\n') --out piped.p12 >/dev/null
openssl pkcs12 -in piped.p12 -passin pass:changeit -nokeys -noout 2>/dev/null || fail "--password-file <(...) not read"
echo "password file from a pipe: read"

# A secret in argv is refused, and not echoed.
run_rc "$CERTFLEET" inspect --password hunter2 piped.p12
[[ $rc == 2 ]] && grep -q -- '--password-file' err.txt || fail "inspect --password: exit $rc: $(cat err.txt)"
! grep -q hunter2 err.txt out.txt || fail "inspect --password: the password was echoed"
run_rc "$CERTFLEET" scan --store 'postgresql://certfleet:hunter2@127.0.0.1:1/certfleet' "$pki/server.pem"
[[ $rc == 2 ]] && grep -q 'pgpass' err.txt || fail "--store with a password: exit $rc: $(cat err.txt)"
! grep -q hunter2 err.txt || fail "--store: the password was echoed"
echo "secrets in argv: inspect --password and --store user:password@ refused (exit 2), not echoed"

# FIFOs are refused at once (inspect used to block forever); a symbolic link loop is named as one.
mkfifo fifo.pem
run_rc "$CERTFLEET" inspect fifo.pem
[[ $rc == 2 ]] && grep -q 'fifo.pem: is not a regular file (a FIFO)' err.txt || fail "inspect FIFO: exit $rc: $(cat err.txt)"
ln -s loop_b.pem loop_a.pem; ln -s loop_a.pem loop_b.pem
run_rc "$CERTFLEET" inspect loop_a.pem
[[ $rc == 2 ]] && grep -q 'loop_a.pem: symbolic link loop' err.txt || fail "inspect loop: exit $rc: $(cat err.txt)"
run_rc "$CERTFLEET" scan --passwords pwdir "$pki/server.pem"
[[ $rc == 2 ]] && grep -q 'pwdir: is a directory' err.txt || fail "scan --passwords DIR: exit $rc: $(cat err.txt)"
echo "FIFO, symbolic link loop, --passwords DIR: refused by name (exit 2)"

# Text that is not UTF-8: a file name, and a SAN dNSName with byte 0xFF (patched into the DER that
# openssl made). The JSON reports stay whole and valid; the bytes show as \xFF.
mkdir odd
cp "$pki/server.pem" "odd/node$(printf '\xff').pem"
python3 - "$pki/server.der" odd/san.der <<'PY'
import sys
der = open(sys.argv[1], "rb").read()
at = der.rfind(b"node1.example.com")  # the SAN's dNSName (the subject's CN comes first)
assert at > 0 and der.find(b"node1.example.com") < at
open(sys.argv[2], "wb").write(der[:at] + b"node\xff.example.com" + der[at + 17:])
PY
"$CERTFLEET" scan --json --prometheus odd.prom odd > scan.json
/usr/bin/python3 - scan.json odd.prom <<'PY'
import json, sys
from prometheus_client.parser import text_string_to_metric_families
report = json.load(open(sys.argv[1], encoding="utf-8"))
paths = sorted(c["path"] for c in report["certificates"])
assert paths[0].endswith("node\\xFF.pem"), paths
san = [c for c in report["certificates"] if c["path"].endswith("san.der")][0]
assert "DNS:node\\xFF.example.com" in san["subject_alt_names"], san["subject_alt_names"]
labels = [s.labels["filename"] for f in text_string_to_metric_families(open(sys.argv[2], encoding="utf-8").read())
          for s in f.samples if f.name == "x509_cert_not_after"]
assert "node\\xFF.pem" in labels, labels
PY
"$CERTFLEET" inspect --json odd/san.der | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "DNS:node\\xFF.example.com" in d[0]["subject_alt_names"]'
echo "non-UTF-8 file name and SAN: scan --json, --prometheus and inspect --json whole, bytes shown as \\xFF"

# Unreadable directories are counted and reported, not skipped (they used to give exit 0 and
# "0 could not be read"). Root reads every directory, so as root this part runs as nobody.
tree=$(mktemp -d /tmp/certfleet-e2e-nobody.XXXXXX)
trap 'chmod -R u+rwx "$tree" 2>/dev/null; rm -rf "$tree"' EXIT
mkdir -p "$tree/certs/locked" "$tree/out"
cp "$CERTFLEET" "$tree/certfleet"
cp "$pki/server.pem" "$tree/certs/visible.pem"
cp "$pki/expired.pem" "$tree/certs/locked/hidden.pem"
chmod 755 "$tree" "$tree/certs"; chmod 777 "$tree/out"; chmod 644 "$tree/certs/visible.pem"
chmod 000 "$tree/certs/locked"
as_user=()
if [[ $(id -u) == 0 ]]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
set +e
(cd "$tree" && "${as_user[@]}" ./certfleet scan -r --json --prometheus out/scan.prom certs) > unreadable.json 2> unreadable.err
rc=$?
(cd "$tree" && "${as_user[@]}" ./certfleet inspect -r certs) > /dev/null 2> inspect.err
rc_inspect=$?
set -e
[[ $rc == 2 ]] || fail "scan of an unreadable directory: exit $rc: $(cat unreadable.err)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=d["errors"]; assert len(e)==1 and e[0]["path"]=="certs/locked" and "Permission denied" in e[0]["error"], e' unreadable.json
grep -q '^x509_read_errors 1$' "$tree/out/scan.prom" || fail "x509_read_errors does not count the directory"
[[ $rc_inspect == 2 ]] && grep -q 'certs/locked: cannot list' inspect.err || fail "inspect -r: exit $rc_inspect: $(cat inspect.err)"
echo "unreadable directory: scan -r and inspect -r exit 2, in --json errors and x509_read_errors"

# Under umask 000 the default state directory and its parents are created 0700, not 0777.
mkdir home
(umask 000; HOME=$PWD/home CERTFLEET_STORE= CERTFLEET_STATE_DIR= CERTFLEET_CA_PASSPHRASE=correct-horse \
  "$CERTFLEET" ca init --name main --subject "CN=Umask Root" >/dev/null 2>&1) || fail "ca init under umask 000"
for d in home/.local home/.local/state home/.local/state/certfleet; do
  [[ $(stat -c %a "$d") == 700 ]] || fail "$d is $(stat -c %a "$d") under umask 000"
done
echo "umask 000: ~/.local, ~/.local/state and the state directory created 0700"
