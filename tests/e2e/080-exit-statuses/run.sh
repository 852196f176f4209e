# Exit statuses scripts can trust: every row of cases.sh runs the real binary and must exit as the row
# says, the status must be one that command's --help documents, and every status each command's --help
# documents must be exercised by a row (or listed by `untested` with the reason). A new command adds
# its rows to cases.sh; nothing else changes here.
export OPENSSL_CONF=/dev/null
export CERTFLEET_STORE="sqlite://$PWD/certfleet.db"
unset CERTFLEET_CA_PASSPHRASE
pki=$TESTDATA/pki
formats=$TESTDATA/formats
chain=$TESTDATA/chain
failed=0
: > exercised.txt
: > untested.txt

# expect STATUS "COMMAND [SUBCOMMAND]" ARGS...: one row of the table.
expect() {
  local want=$1 command=$2
  shift 2
  local words
  read -r -a words <<<"$command"
  set +e
  "$CERTFLEET" "${words[@]}" "$@" > out.txt 2> err.txt < /dev/null
  local rc=$?
  set -e
  echo "$command|$want" >> exercised.txt
  if [[ $rc != "$want" ]]; then
    echo "FAIL: certfleet $command $* exited $rc; the table says $want"
    sed 's/^/  stderr: /' err.txt
    failed=1
  elif [[ $rc -ge 2 && ! -s err.txt ]]; then
    echo "FAIL: certfleet $command $* exited $rc without a word on stderr"
    failed=1
  fi
}

# usage STATUS ARGS...: the command line as a whole (no command, or a mistyped one).
usage() {
  local want=$1
  shift
  set +e
  "$CERTFLEET" "$@" > out.txt 2> err.txt < /dev/null
  local rc=$?
  set -e
  if [[ $rc != "$want" ]]; then
    echo "FAIL: certfleet $* exited $rc; the table says $want"
    failed=1
  fi
}

# untested STATUS "COMMAND" REASON: a documented status no row can provoke here, and why.
untested() {
  echo "$2|$1|$3" >> untested.txt
}

# serve_tls CERT KEY CHAIN: starts openssl s_server on a free loopback port, prints the port.
trap 'if [[ -f servers.pid ]]; then kill $(cat servers.pid) 2>/dev/null || true; fi' EXIT
serve_tls() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  openssl s_server -accept "127.0.0.1:$port" -cert "$1" -key "$2" -cert_chain "$3" -www -quiet > /dev/null 2>&1 &
  echo $! >> servers.pid
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "$port"
}

# A free port nobody listens on: a store or endpoint there is unavailable.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
down="postgresql://certfleet@127.0.0.1:$closed_port/certfleet"

# A store with one authority ("main", root + intermediate), one issued certificate, passphrase files.
printf 'exit status passphrase\n' > pw
printf 'wrong passphrase here\n' > badpw
printf 'short\n' > shortpw
printf 'wrong\n' > wrongpw
"$CERTFLEET" ca init --name main --subject "CN=Exit Root,O=certfleet" --intermediate --passphrase-file pw > /dev/null
"$CERTFLEET" cert issue --subject CN=node1.example.com --out-dir node1 --passphrase-file pw 2> /dev/null
serial=$(openssl x509 -in node1/cert.pem -noout -serial | cut -d= -f2)
"$CERTFLEET" ca export --root-only --out root.pem 2> /dev/null

source "$SCENARIO/cases.sh"

# Every leaf command, from the binary's own command tree (what bash completion offers).
commands() {
  local prefix=("$@") sub
  local subs
  subs=$("$CERTFLEET" __complete "${prefix[@]}" "")
  if [[ -z $subs ]]; then
    echo "${prefix[*]}"
    return
  fi
  # A command that also runs by itself (`deploy --spec`, beside `deploy history`) is one too.
  local alone
  alone=$("$CERTFLEET" "${prefix[@]}" < /dev/null 2>&1 || true)
  if [[ ${#prefix[@]} -gt 0 && $alone != *"needs a command"* ]]; then
    echo "${prefix[*]}"
  fi
  for sub in $subs; do
    commands "${prefix[@]}" "$sub"
  done
}
mkdir help
commands | while read -r -a words; do
  "$CERTFLEET" "${words[@]}" --help > "help/${words[*]}.txt"
done

python3 - "$failed" <<'PY'
import os, re, sys
failed = int(sys.argv[1])
documented = {}
for name in sorted(os.listdir("help")):
    text = open(os.path.join("help", name)).read()
    command = name[:-len(".txt")]
    match = re.search(r"Exit status:(.*?)(?:\n\s*\n|\Z)", text, re.S)
    if not match:
        print(f"FAIL: certfleet {command} --help documents no exit status")
        failed = 1
        continue
    statuses = {int(m) for m in re.findall(r"(?:^|;)\s*(\d+)\b", match.group(1))}
    documented[command] = statuses
exercised = {}
for line in open("exercised.txt"):
    command, status = line.strip().split("|")
    exercised.setdefault(command, set()).add(int(status))
untested = {}
for line in open("untested.txt"):
    command, status, reason = line.strip().split("|", 2)
    untested.setdefault(command, {})[int(status)] = reason
for command in sorted(set(exercised) - set(documented)):
    print(f"FAIL: the table has rows for '{command}', which is not a command")
    failed = 1
for command, statuses in sorted(documented.items()):
    ran = exercised.get(command, set())
    skipped = untested.get(command, {})
    for status in sorted(ran - statuses):
        print(f"FAIL: certfleet {command} exits {status}, which its --help does not document")
        failed = 1
    for status in sorted(statuses - ran - set(skipped)):
        print(f"FAIL: certfleet {command}: documented status {status} has no row in cases.sh")
        failed = 1
    line = f"{command}: " + " ".join(str(s) for s in sorted(statuses & ran))
    if skipped:
        line += "".join(f" ({s} untested: {r})" for s, r in sorted(skipped.items()))
    print(line)
sys.exit(failed)
PY
