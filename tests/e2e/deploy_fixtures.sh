# Shared by the deploy scenarios (070-074): sourced by their run.sh, which run in a fresh directory.
pki=$TESTDATA/pki
export CERTFLEET_STATE_DIR=$PWD/state
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# renew NAME: a new certificate for server.key (node1's names), signed by the test intermediate with a
# random serial, as a CA would renew it: NAME.pem
renew() {
  cat > "$1.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:node1.example.com, DNS:node1, IP:127.0.0.1
EXT
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/intermediate.pem" -CAkey "$pki/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 30 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'; }

# snapshot FILE...: content hash, owner:group and mode of each file (or "absent"), one line each
snapshot() {
  local f
  for f in "$@"; do
    if [[ -e $f ]]; then echo "$f $(sha256sum < "$f" | cut -c1-16) $(stat -c '%U:%G %a' "$f")"; else echo "$f absent"; fi
  done
}

# served_serial PORT: the serial of the leaf served on 127.0.0.1:PORT with SNI node1.example.com
served_serial() {
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername node1.example.com 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'
}

# start_haproxy DIR PORT: HAProxy (master-worker, foreground) serving every file of DIR (`crt DIR`) on
# 127.0.0.1:PORT; sets hp (the master's pid, which reloads on SIGUSR2) and waits until it serves.
start_haproxy() {
  cat > haproxy.cfg <<CFG
global
  log stdout format raw local0 err
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:$2 ssl crt $1/
  http-request return status 200 content-type text/plain string ok
CFG
  haproxy -W -db -f haproxy.cfg > haproxy.log 2>&1 &
  hp=$!
  local _
  for _ in $(seq 100); do
    [[ -n $(served_serial "$2") ]] && return 0
    kill -0 "$hp" 2>/dev/null || { cat haproxy.log >&2; fail "haproxy died"; }
    sleep 0.1
  done
  fail "haproxy does not serve on $2"
}
