# probe against `openssl s_server` on 127.0.0.1: served chain, verification against --trust (findings
# with their stable codes, as pki::verify_chain names them), host
# match, protocol, days left; a closed port is a clean "unavailable" (exit 5).
pki=$TESTDATA/pki
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -cert "$pki/server.pem" -key "$pki/server.key" \
  -cert_chain "$pki/chain.pem" -www -quiet > s_server.log 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "s_server died"; cat s_server.log; exit 1; }
  sleep 0.1
done

field() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[0]; print(eval(sys.argv[2], {}, {"v": v}))' "$@"; }

"$CERTFLEET" probe --trust "$pki/root.pem" --sni node1.example.com --json "127.0.0.1:$port" > ok.json
echo "trusted, right name: exit 0"
echo "  chain length: $(field ok.json 'len(v["chain"])')"
echo "  verified: $(field ok.json 'v["verified"]'), host matches: $(field ok.json 'v["host_matches"]')"
echo "  protocol: $(field ok.json 'v["protocol"]')"
echo "  chain: $(field ok.json '" <- ".join(c["subject"] for c in v["chain"])')"
leaf_fp=$(openssl x509 -in "$pki/server.pem" -noout -fingerprint -sha256 | cut -d= -f2)
[[ $(field ok.json 'v["chain"][0]["sha256"]') == "$leaf_fp" ]] || { echo "leaf fingerprint differs"; exit 1; }
chain_fp=$(openssl x509 -in "$pki/chain.pem" -noout -fingerprint -sha256 | cut -d= -f2)
[[ $(field ok.json 'v["chain"][1]["sha256"]') == "$chain_fp" ]] || { echo "intermediate fingerprint differs"; exit 1; }
openssl_days=$(( ($(date -u -d "$(openssl x509 -in "$pki/server.pem" -noout -enddate | cut -d= -f2)" +%s) - $(date -u +%s)) / 86400 ))
ours_days=$(field ok.json 'v["days_left"]')
(( ours_days - openssl_days <= 1 && openssl_days - ours_days <= 1 )) || { echo "days left $ours_days vs $openssl_days"; exit 1; }

echo "  findings: $(field ok.json 'v["findings"]')"

"$CERTFLEET" probe --trust "$pki/root.pem" --sni node1.example.com "127.0.0.1:$port" > ok.txt
grep -q '^  verified: yes$' ok.txt && grep -q '^  host node1.example.com: matches$' ok.txt
grep -q 'finding' ok.txt && { echo "a finding for a good chain"; exit 1; }
echo "text output says verified and matches"

set +e
"$CERTFLEET" probe --trust "$pki/root.pem" --sni other.example.com --json "127.0.0.1:$port" > wrong_name.json
rc_name=$?
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other_root.key -subj "/CN=Other Root" \
  -days 30 -out other_root.pem > /dev/null 2>&1
"$CERTFLEET" probe --trust other_root.pem --sni node1.example.com --json "127.0.0.1:$port" > wrong_trust.json
rc_trust=$?
"$CERTFLEET" probe --trust "$pki/root.pem" --sni node1.example.com --at 2100-06-01 --json "127.0.0.1:$port" > later.json
rc_later=$?
closed=$(free_port)
"$CERTFLEET" probe --timeout 3s "127.0.0.1:$closed" > closed.out 2> closed.err
rc_closed=$?
"$CERTFLEET" probe "127.0.0.1" > /dev/null 2>&1
rc_bad=$?
"$CERTFLEET" probe --trust "$pki/root.pem" --sni other.example.com "127.0.0.1:$port" > wrong_name.txt
"$CERTFLEET" probe --trust "$pki/root.pem" --sni 10.0.0.2 --json "127.0.0.1:$port" > wrong_ip.json
set -e
codes() { field "$1" '" ".join(sorted(set(f["code"] for f in v["findings"])))'; }
echo "wrong name: exit $rc_name, host matches: $(field wrong_name.json 'v["host_matches"]'), verified: $(field wrong_name.json 'v["verified"]')"
echo "  findings: $(codes wrong_name.json), on certificate $(field wrong_name.json 'v["findings"][0]["certificate"]')"
grep '^  finding host_mismatch: ' wrong_name.txt | grep -q 'other.example.com' || { cat wrong_name.txt; exit 1; }
echo "  text: finding host_mismatch"
echo "wrong IP: host matches: $(field wrong_ip.json 'v["host_matches"]'), findings: $(codes wrong_ip.json)"
echo "another root as --trust: exit $rc_trust, verified: $(field wrong_trust.json 'v["verified"]'), findings: $(codes wrong_trust.json)"
echo "  reason: $(field wrong_trust.json 'v["verify_error"]')"
echo "in 2100: exit $rc_later, verified: $(field later.json 'v["verified"]'), findings: $(codes later.json)"
echo "  reason: $(field later.json 'v["verify_error"]')"
echo "closed port: exit $rc_closed"
grep -q "127.0.0.1:$closed: cannot connect: .*refused" closed.err || { cat closed.err; exit 1; }
echo "no port: exit $rc_bad"
