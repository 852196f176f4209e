# The exit-status table: one row per case, `expect STATUS "COMMAND" ARGS...`, run by run.sh in a scratch
# directory that holds: a store ($CERTFLEET_STORE) with the authority "main" (root + intermediate,
# passphrase file pw; badpw is wrong, shortpw too short), node1/ (an issued certificate, serial $serial),
# root.pem (main's root); $pki, $formats, $chain (fixtures from tests/data); $down (a PostgreSQL store
# URL on a closed port: unavailable). Statuses: 0 ok; 1 findings; 2 invalid input or usage; 3 not
# authenticated or denied; 4 not found or conflict; 5 unavailable; 70 internal.
# A new command adds its rows here, one per documented status (`untested STATUS "COMMAND" REASON` for
# one that cannot be provoked on one machine).

# Usage, for every command alike (`usage` rows are not any one command's).
usage 2 frobnicate
usage 2 ca
usage 2 inspect --no-such-option x.pem
usage 0 --help
usage 0 help ca init

# Inspect and verify
expect 0 "inspect" "$pki/server.pem"
expect 1 "inspect" --key "$pki/other.key" "$pki/server.pem"
expect 2 "inspect" "$pki/bad_base64.pem"
expect 2 "inspect" "$PWD/no-such.pem"
expect 3 "inspect" --password-file wrongpw "$pki/server.p12"
expect 3 "inspect" --password-file wrongpw "$formats/keytool_ec.jks"
expect 3 "inspect" --passphrase-file wrongpw "$pki/key.enc.pem"
expect 0 "verify" --trust "$pki/root.pem" --chain "$pki/chain.pem" "$pki/server.pem"
expect 1 "verify" --trust "$pki/root.pem" "$pki/server.pem"
expect 2 "verify" --trust "$pki/root.pem" "$PWD/no-such.pem"

# Keys and requests
expect 0 "key generate" --type ec:p256 --out k1.key
expect 2 "key generate" --type ec:p999 --out k2.key
expect 4 "key generate" --type ec:p256 --out k1.key
expect 0 "csr create" --key k1.key --subject CN=a.example.com --out a.csr
expect 2 "csr create" --key k1.key --subject "not a DN" --out b.csr
expect 3 "csr create" --key "$pki/key.enc.pem" --passphrase-file wrongpw --subject CN=a.example.com --out c.csr
expect 4 "csr create" --key k1.key --subject CN=a.example.com --out a.csr
expect 0 "external csr" --host node1.example.com,node1 --out-dir requests
expect 2 "external csr" --out-dir requests2
expect 4 "external csr" --host node1.example.com,node1 --out-dir requests
mkdir signed
openssl x509 -req -in requests/node1.example.com.csr -CA "$pki/intermediate.pem" -CAkey "$pki/intermediate.key" \
  -set_serial 7 -days 400 -copy_extensions copy -out signed/node1.pem 2> /dev/null
cat "$pki/intermediate.pem" "$pki/root.pem" > customer-chain.pem
expect 0 "external import" --dir requests --signed signed --ca-chain customer-chain.pem --require-eku serverAuth,clientAuth
cp "$pki/ed25519.pem" signed/stray.pem
expect 1 "external import" --dir requests --signed signed --ca-chain customer-chain.pem
expect 2 "external import" --dir requests --signed signed --ca-chain "$PWD/no-such.pem"

# Authority
expect 0 "ca init" --name second --subject "CN=Second Root" --passphrase-file pw
expect 2 "ca init" --name third --subject "CN=Third Root" --passphrase-file shortpw
expect 4 "ca init" --name main --subject "CN=Exit Root" --passphrase-file pw
expect 5 "ca init" --store "$down" --name main --subject "CN=Exit Root" --passphrase-file pw
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout corp.key -passout file:pw -subj "/CN=Corp CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -days 365 \
  -out corp.pem 2> /dev/null
expect 0 "ca import" --name corp --cert corp.pem --key corp.key --key-passphrase-file pw --passphrase-file pw
expect 2 "ca import" --name corp2 --cert corp.pem --key "$pki/other.key" --passphrase-file pw
expect 3 "ca import" --name corp2 --cert corp.pem --key corp.key --key-passphrase-file badpw --passphrase-file pw
expect 4 "ca import" --name corp --cert corp.pem --key corp.key --key-passphrase-file pw --passphrase-file pw
expect 5 "ca import" --store "$down" --name corp --cert corp.pem --key corp.key --key-passphrase-file pw --passphrase-file pw
expect 0 "ca show" --ca main
expect 4 "ca show" --ca nosuch
expect 5 "ca show" --store "$down" --ca main
expect 0 "ca export" --ca main
expect 4 "ca export" --ca nosuch
expect 5 "ca export" --store "$down" --ca main
expect 3 "ca export-root-key" --ca main --out root.key --passphrase-file badpw
expect 0 "ca export-root-key" --ca main --out root.key --passphrase-file pw
expect 4 "ca export-root-key" --ca main --out root.key --passphrase-file pw
expect 0 "ca audit" --limit 5
expect 2 "ca audit" --limit many
expect 5 "ca audit" --store "$down"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout app.key -subj "/CN=app.example.com" \
  -out app.csr 2> /dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout far.key -subj "/CN=evil.example.org" \
  -out evil.csr 2> /dev/null
expect 0 "cert sign" --ca main --csr app.csr --out app.pem --passphrase-file pw
expect 2 "cert sign" --ca main --csr "$pki/server.pem" --out x.pem --passphrase-file pw
expect 3 "cert sign" --ca main --csr app.csr --out y.pem --passphrase-file badpw
expect 4 "cert sign" --ca main --csr app.csr --out app.pem --passphrase-file pw
expect 5 "cert sign" --store "$down" --ca main --csr app.csr --out z.pem --passphrase-file pw
expect 0 "cert issue" --ca main --subject CN=node2.example.com --out-dir node2 --passphrase-file pw
expect 2 "cert issue" --ca main --subject CN=node3.example.com --validity forever --out-dir node3 --passphrase-file pw
expect 3 "cert issue" --ca main --subject CN=node3.example.com --out-dir node3 --passphrase-file badpw
expect 4 "cert issue" --ca nosuch --subject CN=node3.example.com --out-dir node3 --passphrase-file pw
expect 5 "cert issue" --store "$down" --ca main --subject CN=node3.example.com --out-dir node3 --passphrase-file pw
expect 0 "cert list"
expect 0 "cert list" --expiring 1d
expect 1 "cert list" --expiring 3650d
expect 2 "cert list" --expiring soon
expect 5 "cert list" --store "$down"
expect 0 "cert show" "$serial"
expect 0 "cert show" "$serial" --json
expect 2 "cert show" "$serial" --json --pem
expect 4 "cert show" 0badc0ffee
expect 5 "cert show" --store "$down" "$serial"
serial2=$(openssl x509 -in node2/cert.pem -noout -serial | cut -d= -f2)
expect 0 "cert revoke" --ca main "$serial" --reason superseded --passphrase-file pw
expect 2 "cert revoke" --ca main "$serial2" --reason whim --passphrase-file pw
expect 3 "cert revoke" --ca main "$serial2" --reason superseded --passphrase-file badpw
expect 4 "cert revoke" --ca main "$serial" --reason superseded --passphrase-file pw
expect 5 "cert revoke" --store "$down" --ca main "$serial" --passphrase-file pw
renewing=$(openssl x509 -in node2/cert.pem -noout -serial | cut -d= -f2)
mkdir -p renew
cat > renew/failing.yaml <<YAML
certificate: {cert: $PWD/renew/cert.pem, key: $PWD/renew/key.pem}
targets:
  - {format: haproxy, path: $PWD/renew/site.pem}
health_checks:
  - {command: ["false"], retries: 0, timeout: 5s}
YAML
expect 0 "cert renew" --ca main "$renewing" --out-dir node2r --passphrase-file pw
expect 1 "cert renew" --ca main "$renewing" --deploy renew/failing.yaml --passphrase-file pw
expect 2 "cert renew" --ca main --out-dir node2s --passphrase-file pw
expect 3 "cert renew" --ca main "$renewing" --out-dir node2t --passphrase-file badpw
expect 4 "cert renew" --ca main 0badc0ffee --out-dir node2u --passphrase-file pw
expect 5 "cert renew" --store "$down" "$renewing" --out-dir node2v --passphrase-file pw
untested 1 "crl status" "ca init signs a first CRL now; a due or expired one needs time to pass (no sleeps)"
expect 0 "crl generate" --ca main --out crl.pem --passphrase-file pw
expect 0 "crl status" --ca main
expect 2 "crl generate" --ca main --out crl2.pem --validity never --passphrase-file pw
expect 3 "crl generate" --ca main --out crl3.pem --passphrase-file badpw
expect 4 "crl generate" --ca nosuch --out crl4.pem --passphrase-file pw
expect 4 "crl status" --ca nosuch
expect 5 "crl generate" --store "$down" --ca main --out crl5.pem --passphrase-file pw
expect 5 "crl status" --store "$down" --ca main
expect 2 "crl import" --ca main --file "$pki/server.pem"
expect 4 "crl import" --ca nosuch --file crl.pem
expect 5 "crl import" --store "$down" --ca main --file crl.pem
untested 0 "crl import" "needs a CRL an offline root signed (ca init --offline-root): a row for the command's author"

# Deploy
expect 0 "bundle" --cert "$pki/server.pem" --key "$pki/server.key" --chain "$pki/chain.pem" --format haproxy --out site.pem
expect 2 "bundle" --cert "$pki/server.pem" --key "$pki/other.key" --format haproxy --out other.pem
expect 3 "bundle" --from "$pki/server.p12" --password-file wrongpw --format pem --out pemset
"$CERTFLEET" bundle --cert "$pki/server.pem" --key "$pki/server.key" --format jks --password-file pw --alias node1 \
  --out existing.jks > /dev/null
expect 4 "bundle" --cert "$pki/server.pem" --key "$pki/server.key" --format jks --password-file pw --alias node1 \
  --import-into "$PWD/existing.jks"
cat > deploy-ok.yaml <<YAML
certificate: {cert: $pki/server.pem, key: $pki/server.key, chain: $pki/chain.pem}
targets:
  - {format: haproxy, path: $PWD/deployed/site.pem}
YAML
cat > deploy-failing.yaml <<YAML
certificate: {cert: $pki/server.pem, key: $pki/server.key, chain: $pki/chain.pem}
targets:
  - {format: pem, path: $PWD/deployed/pem}
health_checks:
  - {command: ["false"], retries: 0, timeout: 5s}
YAML
mkdir -p deployed/pem
expect 0 "deploy" --spec deploy-ok.yaml
expect 1 "deploy" --spec deploy-failing.yaml
expect 2 "deploy" --spec "$PWD/no-such.yaml"
untested 4 "deploy" "two deployments of one target at once: tests/e2e/073-deploy-concurrent-and-tools"
expect 0 "deploy history"
expect 0 "deploy rollback"
expect 4 "deploy rollback" 20200101T000000Z-000000
untested 1 "deploy rollback" "a restore that fails mid-way: tests/e2e/072-deploy-faults injects it"
full=(--root "$chain/root.pem" --intermediate "$chain/sub1.pem" --intermediate "$chain/sub2.pem")
expect 0 "chain check" "${full[@]}" --cert "$chain/server.pem" --key "$chain/server.key"
expect 1 "chain check" "${full[@]}" --cert "$chain/server.pem" --key "$chain/other.key"
expect 2 "chain check" "${full[@]}" --cert "$chain/server.pem" --key "$PWD/no-such.key"
expect 0 "chain upload" --name cpvm --domain-suffix cloud.example.com "${full[@]}" --cert "$chain/server.pem" \
  --key "$chain/server.key" --passphrase-file pw
expect 1 "chain upload" --name cpvm --domain-suffix cloud.example.com "${full[@]}" --cert "$chain/server.pem" \
  --key "$chain/other.key" --passphrase-file pw
expect 2 "chain upload" --name cpvm "${full[@]}" --cert "$chain/server.pem" --key "$chain/server.key" \
  --passphrase-file pw
expect 0 "chain list"
expect 2 "chain list" --history=maybe
expect 5 "chain list" --store "$down"

# Fleet
untested 0 "serve" "runs until SIGTERM or SIGINT: tests/e2e/090-serve-https stops it and checks status 0"
expect 2 "serve" --config "$PWD/no-such.yaml" --listen 127.0.0.1:0
expect 3 "serve" --ca main --passphrase-file badpw --listen 127.0.0.1:0
expect 4 "serve" --ca nosuch --passphrase-file pw --listen 127.0.0.1:0
expect 5 "serve" --store "$down" --passphrase-file pw --listen 127.0.0.1:0

printf 'server: https://127.0.0.1:%s\ncertificates:\n  - {name: n1, deploy: agent-n1.yaml}\n' "$closed_port" > agent.yaml
printf 'certificate: {cert: node1/cert.pem, key: node1/key.pem}\ntargets: [{format: pem, path: agent-out}]\n' > agent-n1.yaml
expect 0 "agent" --config agent.yaml --once
expect 0 "agent status" --config agent.yaml
expect 1 "agent" --config agent.yaml --once --force
expect 1 "agent status" --config agent.yaml
expect 2 "agent" --config "$PWD/no-such.yaml" --once
expect 2 "agent status" --config "$PWD/no-such.yaml"
# agent trust: s_server presents node1's chain, whose root is not the fingerprint given.
cp root.pem agent-anchor.pem
trust_port=$(serve_tls node1/cert.pem node1/key.pem node1/chain.pem)
printf 'server: https://127.0.0.1:%s\nca_file: agent-anchor.pem\ncertificates:\n  - {name: n1, deploy: agent-n1.yaml}\n' "$trust_port" > agent-trust.yaml
sed "s/127.0.0.1:$trust_port/127.0.0.1:$closed_port/" agent-trust.yaml > agent-closed.yaml
untested 0 "agent trust" "needs a server presenting a regenerated CA: tests/e2e/096-agent-state-and-trust trusts it (exit 0)"
expect 2 "agent trust" --config agent-trust.yaml --ca-fingerprint not-a-fingerprint
expect 3 "agent trust" --config agent-trust.yaml --ca-fingerprint "$(printf '0%.0s' {1..64})"
expect 5 "agent trust" --config agent-closed.yaml --ca-fingerprint "$(printf '0%.0s' {1..64})"
untested 5 "agent" "needs a server holding the request pending: tests/e2e/099-agent-adopt-and-pending (exit 5)"
# The offline fallback: node package on the CA host, agent adopt on the node.
expect 0 "node package" --ca main adopt1.example.com --out adopt1.tar --passphrase-file pw
expect 2 "node package" --ca main adopt1.example.com --out adopt1.tar --passphrase-file pw
expect 3 "node package" --ca main adopt2.example.com --out adopt2.tar --passphrase-file badpw
expect 4 "node package" --ca nosuch adopt2.example.com --out adopt2.tar --passphrase-file pw
printf 'server: https://127.0.0.1:%s\nca_file: root.pem\nstate_dir: adopt-state\ncertificates:\n  - {name: a1, deploy: adopt-a1.yaml, subject: CN=adopt1.example.com}\n' "$closed_port" > agent-adopt.yaml
printf 'certificate: {cert: adopt1/cert.pem, chain: adopt1/chain.pem, key: adopt1/key.pem}\ntargets: [{format: pem, path: adopt-out}]\n' > adopt-a1.yaml
sed 's/adopt-a1.yaml/adopt-a1-hook.yaml/' agent-adopt.yaml > agent-adopt-hook.yaml
printf 'certificate: {cert: adopt1/cert.pem, chain: adopt1/chain.pem, key: adopt1/key.pem}\ntargets: [{format: pem, path: adopt-out2}]\non_change: [[/bin/false]]\n' > adopt-a1-hook.yaml
mkdir -p adopt1 adopt-out adopt-out2
expect 0 "agent adopt" --config agent-adopt.yaml --from adopt1.tar
expect 1 "agent adopt" --config agent-adopt-hook.yaml --from adopt1.tar
expect 2 "agent adopt" --config agent-adopt.yaml --cert "$pki/server.pem" --key "$pki/other.key"
expect 4 "agent adopt" --config agent-adopt.yaml --from adopt1.tar --certificate nosuch

expect 0 "node list" --ca main
expect 2 "node list" --store "$PWD/no-such-dir/x.db"
expect 2 "node list" --server "https://127.0.0.1:$closed_port" --store "$PWD/certfleet.db"
untested 3 "node list" "needs a server: tests/e2e/105-cli-server-mode lists nodes as admin certificates"
expect 5 "node list" --server "https://127.0.0.1:$closed_port" --ca-file root.pem
untested 0 "node renew" "needs a connected agent: tests/e2e/095-node-renew renews node1 through it (exit 0)"
untested 1 "node renew" "needs a connected agent whose renewal fails; tests/e2e/095-node-renew covers the path"
expect 2 "node renew" --ca main node1 --timeout soon
expect 4 "node renew" --ca main nosuch
untested 3 "node renew" "needs a server: tests/e2e/105-cli-server-mode (a reader may not renew)"
untested 5 "node renew" "needs a node whose agent stopped: tests/e2e/095-node-renew checks No connection with node1 (5)"
untested 0 "node run" "needs a connected agent: tests/e2e/098-agent-operations runs node1's touch-marker (exit 0)"
untested 1 "node run" "needs a connected agent whose operation fails: tests/e2e/098-agent-operations (exit 3 reported, 1)"
expect 2 "node run" --ca main node1 "Restart Kudu"
untested 3 "node run" "needs a server: tests/e2e/105-cli-server-mode (a reader may not run one)"
expect 2 "node run" --ca main node1 touch-marker --timeout soon
expect 4 "node run" --ca main nosuch touch-marker
untested 5 "node run" "needs a node whose agent stopped: tests/e2e/098-agent-operations checks No connection with node1 (5)"
# Enrollment (093-serve-enroll-token and 094-serve-pending-autosign run them against a server)
expect 0 "token create" --ca main --name node9.example.com --ttl 10m
expect 2 "token create" --ca main --name node9.example.com --ttl never
expect 4 "token create" --ca nosuch --name node9.example.com
expect 5 "token create" --store "$down" --name node9.example.com
untested 3 "token create" "needs a server: tests/e2e/105-cli-server-mode (an operator may not create tokens)"
expect 5 "token create" --server "https://127.0.0.1:$closed_port" --name node9.example.com
expect 0 "request list" --ca main
expect 2 "request list"
expect 4 "request list" --ca nosuch
expect 5 "request list" --store "$down"
untested 3 "request list" "needs a server: tests/e2e/105-cli-server-mode (no admin certificate, one not listed)"
expect 5 "request list" --server "https://127.0.0.1:$closed_port"
expect 0 "request approve" --ca main --all --passphrase-file pw
expect 2 "request approve" --ca main --passphrase-file pw
expect 3 "request approve" --ca main --all --passphrase-file badpw
expect 4 "request approve" --ca main 42 --passphrase-file pw
expect 5 "request approve" --store "$down" --all --passphrase-file pw
untested 0 "request deny" "needs a pending request, which needs a server: tests/e2e/094-serve-pending-autosign denies two"
expect 2 "request deny" 42
expect 4 "request deny" --ca main 42
expect 5 "request deny" --store "$down" 42
untested 3 "request deny" "needs a server: tests/e2e/105-cli-server-mode (the admin certificate refused)"
# Admin certificates (103-puppet-ca-admin uses them against a server)
expect 0 "admin-cert issue" alice --ca main --role operator --out-cert alice.pem --out-key alice.key --passphrase-file pw
expect 2 "admin-cert issue" bob --ca main --role root --out-cert bob.pem --out-key bob.key --passphrase-file pw
expect 3 "admin-cert issue" bob --ca main --role reader --out-cert bob.pem --out-key bob.key --passphrase-file badpw
expect 4 "admin-cert issue" alice --ca main --role reader --out-cert alice2.pem --out-key alice2.key --passphrase-file pw
expect 5 "admin-cert issue" bob --store "$down" --role reader --out-cert bob.pem --out-key bob.key --passphrase-file pw
expect 0 "admin-cert list" --ca main
expect 2 "admin-cert list"
expect 4 "admin-cert list" --ca nosuch
expect 5 "admin-cert list" --store "$down"
expect 2 "admin-cert revoke" alice --passphrase-file pw
expect 3 "admin-cert revoke" --ca main alice --passphrase-file badpw
expect 0 "admin-cert revoke" --ca main alice --passphrase-file pw
expect 4 "admin-cert revoke" --ca main alice --passphrase-file pw
expect 5 "admin-cert revoke" --store "$down" alice
untested 0 "enroll" "needs a server: tests/e2e/093-serve-enroll-token and 094-serve-pending-autosign enroll"
untested 3 "enroll" "needs a server: tests/e2e/093-serve-enroll-token (wrong --ca-fingerprint, used token), 094 (denied)"
expect 2 "enroll" --server "https://127.0.0.1:$closed_port" --ca-file root.pem --wait --token t --new-key ec:p256 \
  --subject CN=e.example.com --out e.pem
expect 4 "enroll" --server "https://127.0.0.1:$closed_port" --ca-file root.pem --wait --new-key ec:p256 \
  --subject CN=e.example.com --out root.pem
expect 5 "enroll" --server "https://127.0.0.1:$closed_port" --ca-file root.pem --wait --new-key ec:p256 \
  --subject CN=e.example.com --out e.pem

# Inventory
expect 0 "scan" "$pki/server.pem"
expect 1 "scan" --expiring 36500d "$pki/server.pem"
expect 2 "scan" "$PWD/no-such.pem"
tls_port=$(serve_tls "$pki/server.pem" "$pki/server.key" "$pki/chain.pem")
expect 0 "probe" --trust "$pki/root.pem" --sni node1.example.com "127.0.0.1:$tls_port"
expect 1 "probe" --trust root.pem --sni node1.example.com "127.0.0.1:$tls_port"
expect 2 "probe" 127.0.0.1
expect 5 "probe" --timeout 3s "127.0.0.1:$closed_port"
