# Fault injection: whatever fails (a hook, a health check, a directory that turns read-only between two
# renames, or kill -9 of certfleet at each step, followed by recovery), every target is back byte for
# byte with its owner, group and mode, nothing is left in the service directories, and the report or
# the history names the cause.
source "$SCENARIO/../deploy_fixtures.sh"
mkdir a b
renew renewed
reset_targets() {
  chattr -i b 2>/dev/null || true
  rm -rf state  # one journal per case: history shows this case only
  rm -rf a b && mkdir a b
  echo "old certificate" > a/node.cert && chown root:daemon a/node.cert && chmod 0440 a/node.cert
  cat "$pki/server.pem" "$pki/server.key" > a/site.pem && chmod 0600 a/site.pem
  echo "old key" > b/node.key && chown root:daemon b/node.key && chmod 0400 b/node.key
  # b/fullchain.pem does not exist: a deployment creates it, a rollback removes it
  snapshot a/node.cert a/site.pem b/node.key b/fullchain.pem > before.txt
}
check_restored() {  # check_restored CASE
  snapshot a/node.cert a/site.pem b/node.key b/fullchain.pem | diff before.txt - >&2 || fail "$1: targets differ"
  [[ $(ls -A a | tr '\n' ' ') == "node.cert site.pem " ]] || fail "$1: left in a/: $(ls -A a)"
  [[ $(ls -A b | tr '\n' ' ') == "node.key " ]] || fail "$1: left in b/: $(ls -A b)"
}
spec() {  # spec HOOK_COMMAND CHECK_COMMAND
  cat <<YAML
certificate: {cert: renewed.pem, key: $pki/server.key, chain: $pki/chain.pem}
targets:
  - format: files
    files: {cert: a/node.cert, key: b/node.key, fullchain: b/fullchain.pem}
  - format: haproxy
    path: a/site.pem
on_change:
  - command: [sh, -c, 'echo \$CERTFLEET_DEPLOY_PHASE >> hooks.log; $1']
health_checks:
  - command: [sh, -c, '$2']
    retries: 0
YAML
}
last_failure() { "$CERTFLEET" deploy history --json | python3 -c 'import json,sys; j=json.load(sys.stdin)[-1]; print(j["state"], "|", j["failed_step"], "|", j["failure"])'; }

reset_targets
spec 'echo "reload refused: bad config" >&2; exit 1' 'true' > hook.yaml
set +e; "$CERTFLEET" deploy --spec hook.yaml > hook.out 2>&1; rc=$?; set -e
check_restored "failing hook"
echo "failing hook: exit $rc, $(grep '^rolled back' hook.out | sed 's/hook "sh -c .*" failed/hook "sh -c ..." failed/')"
echo "  hooks ran: $(tr '\n' ' ' < hooks.log)"

reset_targets; rm -f hooks.log
spec 'true' 'echo "503 from /health"; exit 7' > check.yaml
set +e; "$CERTFLEET" deploy --spec check.yaml > check.out 2>&1; rc=$?; set -e
check_restored "failing health check"
echo "failing health check: exit $rc, $(grep '^rolled back' check.out | sed 's/check "command sh -c .*" failed/check "command sh -c ..." failed/')"
echo "  hooks ran: $(tr '\n' ' ' < hooks.log)"

# b/ turns read-only after a/node.cert was renamed into place (chattr +i stops root too).
reset_targets; rm -f hooks.log
spec 'true' 'true' > ok.yaml
set +e
CERTFLEET_DEPLOY_RUN_AT="between_renames:chattr +i $PWD/b" "$CERTFLEET" deploy --spec ok.yaml > ro.out 2>&1
rc=$?
set -e
echo "read-only directory: exit $rc, $(grep '^rolled back' ro.out | sed "s|$PWD/||g; s/certfleet-[0-9TZ]*-[0-9a-f]*/certfleet-ID/g")"
chattr -i b
"$CERTFLEET" deploy --recover | sed -E 's/deployment [0-9TZ]+-[0-9a-f]+/deployment ID/'
check_restored "read-only directory"
echo "  after recovery: $(last_failure | cut -d'|' -f1-2)"

for step in temp_files backup journal between_renames renamed during_hook hooks checks restore; do
  reset_targets; rm -f hooks.log
  if [[ $step == restore ]]; then spec 'exit 1' 'true' > crash.yaml; else spec 'true' 'true' > crash.yaml; fi
  set +e
  CERTFLEET_DEPLOY_CRASH_AT=$step "$CERTFLEET" deploy --spec crash.yaml > crash.out 2>&1
  rc=$?
  set -e
  [[ $rc == 137 ]] || fail "$step: not killed (exit $rc): $(cat crash.out)"
  "$CERTFLEET" deploy --recover > recover.out
  check_restored "kill -9 at $step"
  echo "kill -9 at $step: $(sed -E 's/deployment [0-9TZ]+-[0-9a-f]+/deployment/' recover.out | head -1)"
  echo "  history: $(last_failure)"
  # (a hook killed mid-way may or may not have logged "deploy": only the rerun is asserted)
  if grep -qx rollback hooks.log 2>/dev/null; then echo "  hooks rerun for the restored files"; else echo "  no hook rerun"; fi
done
