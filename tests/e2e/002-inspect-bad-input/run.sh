# inspect refuses damaged input with exit 2 and a message that names the file, the block and the line;
# nothing reaches stdout for a bad file, and a multi-file run goes on after it.
pki=$TESTDATA/pki

# expect_refused FILE PATTERN...: exit 2, stdout empty, stderr holds the file name and every PATTERN.
expect_refused() {
  local file=$1; shift
  set +e
  "$CERTFLEET" inspect "$file" > out.txt 2> err.txt
  local rc=$?
  set -e
  [[ $rc == 2 ]] || { echo "$(basename "$file"): exit $rc, wanted 2"; cat err.txt; exit 1; }
  [[ ! -s out.txt ]] || { echo "$(basename "$file"): stdout not empty"; exit 1; }
  grep -qF -- "$file" err.txt || { echo "$(basename "$file"): message does not name the file"; cat err.txt; exit 1; }
  for pattern in "$@"; do
    grep -qF -- "$pattern" err.txt || { echo "$(basename "$file"): message lacks '$pattern'"; cat err.txt; exit 1; }
  done
  echo "$(basename "$file"): refused"
}

expect_refused "$pki/bad_base64.pem" "block 1" "line 5" "bad base64"
expect_refused "$pki/no_end.pem" "block 1" "line 1" "END CERTIFICATE"
expect_refused "$pki/mismatched_end.pem" "block 1" "X509 CRL"
expect_refused "$pki/truncated.der" "truncated"
expect_refused "$pki/empty.pem" "empty"

# A second, damaged block: the message names block 2 and its line in the whole file.
cat "$pki/root.pem" "$pki/bad_base64.pem" > two_blocks.pem
root_lines=$(wc -l < "$pki/root.pem")
expect_refused "$PWD/two_blocks.pem" "block 2" "line $((root_lines + 5))"

# Random bytes and a certificate whose outer length claims 2 GiB.
python3 -c 'import random, sys; random.seed(7); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(3000)))' > random.bin
expect_refused "$PWD/random.bin"
{ printf '\x30\x84\x7f\xff\xff\xff'; tail -c +5 "$pki/server.der"; } > huge_length.der
expect_refused "$PWD/huge_length.der" "truncated"

# An encrypted key without its passphrase.
expect_refused "$pki/key.enc.pem" "passphrase"

# Several files: the good ones are still reported, the bad one is named, the exit status is 2.
set +e
"$CERTFLEET" inspect "$pki/server.pem" "$pki/bad_base64.pem" "$pki/root.pem" > multi.txt 2> multi_err.txt
rc=$?
set -e
[[ $rc == 2 ]] || { echo "multi: exit $rc"; exit 1; }
grep -qF "$pki/bad_base64.pem" multi_err.txt || { echo "multi: bad file not named"; exit 1; }
grep -q 'node1.example.com' multi.txt || { echo "multi: first file missing"; exit 1; }
grep -q 'certfleet Test Root' multi.txt || { echo "multi: file after the bad one missing"; exit 1; }
echo "multi-file run: continued after the bad file, exit 2"

# A missing file.
set +e
"$CERTFLEET" inspect "$PWD/no-such.pem" > out.txt 2> err.txt
rc=$?
set -e
[[ $rc != 0 && ! -s out.txt ]] || { echo "missing file: exit $rc"; exit 1; }
grep -qF "no-such.pem" err.txt || { echo "missing file: not named"; exit 1; }
echo "missing file: exit $rc"
