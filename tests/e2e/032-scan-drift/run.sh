# scan --store: drift between what our CA issued and what is deployed. Two certificates issued for the
# same name (the older one deployed, so it is STALE and names the newer serial), a foreign certificate
# (FOREIGN), then revocations as the store records them. Read-only: no CA passphrase is given to scan.
export OPENSSL_CONF=/dev/null
db="$PWD/certfleet.db"
cf=$CERTFLEET
export CERTFLEET_CA_PASSPHRASE='e2e drift passphrase'
$cf ca init --name main --subject "CN=Drift Root,O=certfleet" --store "sqlite://$db" >/dev/null 2>&1
# Different lifetimes, so the second is the later one even when both are issued within one second.
$cf cert issue --subject CN=app.example.com --validity 30d --out-dir old --store "sqlite://$db" 2>/dev/null
$cf cert issue --subject CN=app.example.com --validity 90d --out-dir new --store "sqlite://$db" 2>/dev/null
echo "issued twice for app.example.com"
unset CERTFLEET_CA_PASSPHRASE

mkdir -p deploy/app
cp old/cert.pem deploy/app/app.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout foreign.key -subj "/CN=app.example.com" \
  -days 30 -out deploy/foreign.pem > /dev/null 2>&1
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr A-F a-f; }
old_serial=$(serial old/cert.pem)
new_serial=$(serial new/cert.pem)

$cf scan -q --store "sqlite://$db" -r deploy --json > drift.json
python3 - "$old_serial" "$new_serial" <<'PY'
import json, sys
old, new = (int(s, 16) for s in sys.argv[1:3])
certs = {c["path"].split("/")[-1]: c for c in json.load(open("drift.json"))["certificates"]}
print("certificates:", len(certs))
app, foreign = certs["app.pem"], certs["foreign.pem"]
assert int(app["serial"], 16) == old, app["serial"]
assert int(app["newer_serial"], 16) == new, (app["newer_serial"], hex(new))
print("deployed old: issued_by_us %s, authority %s, newest %s, names the newer serial, revoked %s, drift %s"
      % (app["issued_by_us"], app["authority"], app["newest_for_names"], app["revoked"], app["drift"]))
print("foreign: issued_by_us %s, newest %s, drift %s"
      % (foreign["issued_by_us"], foreign["newest_for_names"], foreign["drift"]))
PY

$cf scan -q --store "sqlite://$db" -r deploy > drift.txt
head -1 drift.txt | grep -q ' DRIFT ' || { echo "no DRIFT column"; cat drift.txt; exit 1; }
echo "text: $(grep 'app/app.pem' drift.txt | grep -o 'STALE') $(grep 'foreign.pem' drift.txt | grep -o 'FOREIGN')"
# Without a store there is no comparison, and no column.
$cf scan -q -r deploy > plain.txt
grep -q ' DRIFT ' plain.txt && { echo "DRIFT column without a store"; exit 1; }
python3 -c 'import json,sys; c=json.load(sys.stdin)["certificates"][0]; assert "issued_by_us" not in c' \
  < <($cf scan -q -r deploy --json)
echo "without --store: no drift"

# probe --store: the same judgement for what a live server serves (openssl s_server with the old one).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -cert old/cert.pem -key old/key.pem -www -quiet > s_server.log 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "s_server died"; cat s_server.log; exit 1; }
  sleep 0.1
done
$cf probe --store "sqlite://$db" --trust old/root.pem --sni app.example.com "127.0.0.1:$port" > probe.txt
grep -q "^      drift: STALE (newer: $new_serial)\$" probe.txt || { echo "probe text:"; cat probe.txt; exit 1; }
$cf probe --store "sqlite://$db" --trust old/root.pem --sni app.example.com --json "127.0.0.1:$port" > probe.json
python3 - "$new_serial" <<'PY'
import json, sys
leaf = json.load(open("probe.json"))[0]["chain"][0]
assert leaf["newer_serial"] == sys.argv[1], leaf
print("probe: served issued_by_us %s, newest %s, drift %s" % (leaf["issued_by_us"], leaf["newest_for_names"], leaf["drift"]))
PY
kill "$server_pid"

# The store named by CERTFLEET_STORE; revoking the newer makes the deployed one the newest again.
export CERTFLEET_STORE="sqlite://$db"
$cf cert revoke "$new_serial" --reason superseded > /dev/null
$cf scan -q -r deploy/app --json > after.json
echo "newer revoked: old newest $(python3 -c 'import json; c=json.load(open("after.json"))["certificates"][0]; print(c["newest_for_names"], c["newer_serial"])')"
$cf cert revoke "$old_serial" --reason keyCompromise > /dev/null
$cf scan -q -r deploy/app > revoked.txt
echo "old revoked: $(grep -o 'REVOKED' revoked.txt)"

set +e
$cf scan -q --store "sqlite://$PWD/missing.db" deploy > /dev/null 2> missing.err
echo "missing store: exit $?"
set -e
[[ ! -e missing.db ]] || { echo "scan created missing.db"; exit 1; }
