#!/usr/bin/env bash
# Writes the man pages of certfleet from its own --help text with help2man: certfleet.1 (the command
# list) and certfleet-COMMAND.1 for every command and subcommand (certfleet-ca-init.1), gzipped as
# Debian installs them. Usage: make-man-pages.sh CERTFLEET_BINARY VERSION OUT_DIR
set -euo pipefail
binary=$1 version=$2 out=$3
rm -rf "$out"
mkdir -p "$out"

# page WORDS...: one page for `certfleet WORDS...`.
page() {
  local name="certfleet${*:+-}$(IFS=-; echo "$*")"
  local summary
  summary=$("$binary" "$@" --help | head -1)  # CLI11 prints the description first
  summary=${summary#certfleet - }
  help2man --no-info --no-discard-stderr --version-string="$version" --section=1 \
    --name="${summary%.}" --output="$out/$name.1" "$binary${*:+ }$*"
  sed -i "s/^\\.TH \"\\?[A-Z0-9 -]*\"\\? /.TH \"$(tr a-z A-Z <<<"$name")\" /" "$out/$name.1"
  gzip -9n "$out/$name.1"
}

# walk WORDS...: every command under `certfleet WORDS...`, from the binary's own command tree.
walk() {
  page "$@"
  local sub
  for sub in $("$binary" __complete "$@" ""); do
    walk "$@" "$sub"
  done
}
walk
