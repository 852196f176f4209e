#!/usr/bin/env bash
# Runs one golden end-to-end scenario (certmonger style): tests/e2e/NNN-name/run.sh runs the real
# certfleet binary and real clients in a fresh temporary directory; what it prints on stdout must equal
# expected.txt line for line. run.sh should print only stable text (no dates, keys or fingerprints)
# and assert the rest itself; it fails the scenario by exiting non-zero.
#
# Usage: run_scenario.sh SCENARIO_DIR CERTFLEET_BINARY TESTDATA_DIR
# run.sh sees: CERTFLEET (the binary), TESTDATA (fixtures from tests/data/make_data.sh),
# SCENARIO (its own directory), CERTFLEET_STATE_DIR (a fresh state directory), and runs with the temporary directory as its working directory.
set -euo pipefail
scenario=$(cd "$1" && pwd)
export CERTFLEET=$2
export TESTDATA=$3
export SCENARIO=$scenario
work=$(mktemp -d "${TMPDIR:-/tmp}/certfleet-e2e.XXXXXX")
# Commands that deploy (bundle, external import, deploy) keep journals and backups in a state
# directory: a throwaway one, never the machine's /var/lib/certfleet.
export CERTFLEET_STATE_DIR
CERTFLEET_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/certfleet-e2e-state.XXXXXX")
trap 'chattr -R -i "$work" 2>/dev/null || true; rm -rf "$work" "$CERTFLEET_STATE_DIR"' EXIT
cd "$work"
set +e
bash -euo pipefail "$scenario/run.sh" > "$work/.actual" 2> "$work/.stderr"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "FAIL: $(basename "$scenario")/run.sh exited $rc" >&2
  echo "--- stdout" >&2; cat "$work/.actual" >&2
  echo "--- stderr" >&2; cat "$work/.stderr" >&2
  exit 1
fi
if ! diff -u "$scenario/expected.txt" "$work/.actual"; then
  echo "FAIL: $(basename "$scenario") output differs from expected.txt (above)" >&2
  echo "--- stderr" >&2; cat "$work/.stderr" >&2
  exit 1
fi
echo "ok: $(basename "$scenario")"
