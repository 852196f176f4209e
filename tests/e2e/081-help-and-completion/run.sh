# The operator's first hour (issue 19): `certfleet --help` is one line per command under the operators'
# groups, as git's; a mistyped command is named with the closest one; a group named alone lists its
# commands; `certfleet help CMD` is `certfleet CMD --help`; bash completion (the packaged script, in a
# real bash) completes commands and options; the man pages come from the same text (help2man).
root=$(cd "$SCENARIO/../../.." && pwd)

"$CERTFLEET" --help > help.txt
# Headings in order, each followed by its commands, one line each.
grep -E '^[A-Z][A-Za-z :,]+:$' help.txt | grep -v -E '^(Usage|Options|Exit status):$' | tr '\n' ' ' | sed 's/ $/\n/'
awk '/^Inspect and verify:$/,0' help.txt | grep -E '^  [a-z]' | awk '{ print "  " $1 }'
lines=$(wc -l < help.txt)
commands=$(grep -c -E '^  [a-z]' help.txt)
(( lines - commands < 30 )) || { echo "--help is $lines lines for $commands commands: not one line per command"; exit 1; }
grep -q "Exit status: 0 ok; 1 the check ran and found problems; 2 invalid input or usage;" help.txt \
  || { echo "--help lacks the exit statuses"; exit 1; }
# The long text stays in the command's own help.
"$CERTFLEET" inspect --help > inspect.txt
grep -q '^Examples:' inspect.txt && grep -q 'Exit status: 0 read' inspect.txt \
  || { echo "inspect --help lost its examples or exit statuses"; exit 1; }
grep -q 'Reads PEM' help.txt && { echo "--help prints a command's long text"; exit 1; }
"$CERTFLEET" help inspect | cmp -s - inspect.txt || { echo "help inspect differs from inspect --help"; exit 1; }
echo "help inspect = inspect --help"

# A mistyped command: named, with the closest one, exit 2, nothing on stdout.
set +e
"$CERTFLEET" frobnicate > out.txt 2> err.txt; echo "frobnicate: exit $? $(head -1 err.txt)"
[[ ! -s out.txt ]] || { echo "stdout not empty"; exit 1; }
"$CERTFLEET" inpsect x.pem 2>&1 >/dev/null | head -1
"$CERTFLEET" ca initt 2>&1 >/dev/null | head -1
"$CERTFLEET" ca > out.txt 2> err.txt; echo "ca alone: exit $? $(tail -1 err.txt)"
grep -q '^  export-root-key' err.txt || { echo "ca alone does not list its commands"; cat err.txt; exit 1; }
"$CERTFLEET" > /dev/null 2> err.txt; echo "no command: exit $?"
grep -q '^Inventory:$' err.txt || { echo "no command: no command list"; exit 1; }
set -e
"$CERTFLEET" --version

# Hints that name the right option, and help that lists only what a command takes.
"$CERTFLEET" ca init --help | grep -q -- '--ca ' && { echo "ca init --help lists --ca"; exit 1; }
"$CERTFLEET" ca init --help | grep -q -- '--allow-weak-passphrase' || { echo "no --allow-weak-passphrase"; exit 1; }
echo "ca init --help: no --ca, has --allow-weak-passphrase"

# Bash completion: the packaged script in a real bash.
complete_line() {  # complete_line WORD... : what TAB offers after `certfleet WORD...` (last word partial)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _certfleet; echo "${COMPREPLY[*]}"' \
    _ "$root/packaging/certfleet.bash-completion" "$CERTFLEET" "$@"
}
echo "complete 'ca ': $(complete_line ca '')"
echo "complete 'ca i': $(complete_line ca i)"
echo "complete 'inspect --pa': $(complete_line inspect --pa)"
echo "complete 'bundle --format ': [$(complete_line bundle --format '')]"
echo "complete 'external import --subject-': $(complete_line external import --subject-)"

# Man pages: one per command, from the same text (help2man), readable by man.
man_dir=$(dirname "$CERTFLEET")/man
[[ -f $man_dir/certfleet.1.gz ]] || { echo "no certfleet.1.gz in $man_dir"; exit 1; }
[[ -f $man_dir/certfleet-ca-init.1.gz ]] || { echo "no certfleet-ca-init.1.gz"; exit 1; }
commands=$(ls "$man_dir" | grep -c '\.1\.gz$')
echo "man pages: $commands"
MANWIDTH=100 man -l "$man_dir/certfleet-ca-init.1.gz" 2>/dev/null > ca-init.man
grep -q 'allow-weak-passphrase' ca-init.man && grep -q 'Exit status: 0 created' ca-init.man \
  || { echo "certfleet-ca-init.1 lacks what --help says"; cat ca-init.man; exit 1; }
head -1 ca-init.man | awk '{ print "man page title:", $1 }'
