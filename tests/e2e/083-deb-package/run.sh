# The Debian package, tested without touching the machine: `cpack -G DEB` from the build tree into this
# scratch directory, `dpkg-deb --info` names only Debian runtime libraries (dpkg-shlibdeps), the
# contents are what an operator expects (binary, man pages, bash completion, examples), and the binary
# extracted with `dpkg-deb -x` runs, reading the packaged examples. `cmake --install` lays out the same.
build=$(dirname "$CERTFLEET")
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$PWD/pkg" > cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$(ls pkg/certfleet_*.deb)
echo "package: $(basename "$deb" | sed -E 's/_[0-9.]+_/_VERSION_/')"
dpkg-deb --field "$deb" Package Section
depends=$(dpkg-deb --field "$deb" Depends)
[[ -n $depends ]] || { echo "no Depends: dpkg-shlibdeps did not run"; exit 1; }
count=0
provided=$(dpkg-query -W -f='${db:Status-Abbrev} ${Provides}\n' 2>/dev/null)
for dep in $(sed 's/([^)]*)//g; s/|/,/g; s/,/ /g' <<<"$depends"); do
  [[ $dep == lib* && $dep != *-dev ]] || { echo "Depends names $dep, not a runtime library"; exit 1; }
  # A package, or a virtual one an installed package provides (libspdlog1.10 provides libspdlog1.10-fmt9).
  [[ $(dpkg-query -W -f='${Status}' "$dep" 2>/dev/null || true) == "install ok installed" ]] ||
    grep -qE "^ii .*[ ,]$dep( |,|$)" <<<"$provided" ||
    { echo "Depends names $dep, which is not a Debian package here"; exit 1; }
  count=$((count + 1))
done
grep -q 'libssl3' <<<"$depends" || { echo "Depends lacks libssl3: $depends"; exit 1; }
echo "depends: only Debian runtime libraries ($( ((count >= 5)) && echo 'libssl3, libpq5, libc6, ...'))"

dpkg-deb -c "$deb" | awk '{ print $6 }' > contents.txt
for path in ./usr/bin/certfleet ./usr/share/man/man1/certfleet.1.gz ./usr/share/man/man1/certfleet-ca-init.1.gz \
            ./usr/share/bash-completion/completions/certfleet ./usr/share/doc/certfleet/examples/hosts.yaml \
            ./usr/share/doc/certfleet/examples/profiles.yaml ./usr/share/doc/certfleet/examples/policy.yaml \
            ./usr/share/doc/certfleet/examples/passwords.yaml; do
  grep -qxF "$path" contents.txt || { echo "$path is not in the package"; exit 1; }
  echo "contains $path"
done
grep -q 'build/\|/work/' contents.txt && { echo "a build path leaked into the package"; exit 1; }

# The extracted binary runs, with the packaged examples.
dpkg-deb -x "$deb" root
bin=root/usr/bin/certfleet
examples=root/usr/share/doc/certfleet/examples
readelf -S "$bin" | grep -q '\.debug_info' && { echo "the packaged binary is not stripped"; exit 1; }
"$bin" --version
"$bin" inspect "$TESTDATA/pki/server.pem" | grep -E '^  subject:'
printf 'package test passphrase\n' > pw
"$bin" ca init --store "sqlite://$PWD/pkg.db" --name main --subject "CN=Package Root" --passphrase-file pw \
  --profiles "$examples/profiles.yaml" --policy "$examples/policy.yaml" | head -1
"$bin" external csr --hosts "$examples/hosts.yaml" --out-dir requests 2>/dev/null | tail -1 | sed 's/ to .*//'
cp "$TESTDATA/pki/server.p12" .
"$bin" scan --passwords "$examples/passwords.yaml" server.p12 | awk 'NR == 2 { print "scan with examples/passwords.yaml:", $0 ~ /node1.example.com/ ? "read the keystore" : $0 }'

# The node package: the agent alone, with its units and example; no libpq, no SQLite.
agent=$(ls pkg/certfleet-agent_*.deb)
dpkg-deb -x "$agent" agent-root
agent-root/usr/bin/certfleet-agent --version
dpkg-deb --field "$agent" Depends | grep -qE 'libpq|libsqlite' && { echo "the agent package depends on libpq or SQLite"; exit 1; }
dpkg-deb -c "$agent" | awk '{ print $6 }' > agent-contents.txt
for path in ./usr/bin/certfleet-agent ./usr/lib/systemd/system/certfleet-agent.service \
            ./usr/share/doc/certfleet-agent/examples/agent.yaml ./usr/share/man/man1/certfleet-agent.1.gz; do
  grep -qxF "$path" agent-contents.txt || { echo "$path is not in the agent package"; exit 1; }
  echo "agent package contains $path"
done
grep -q 'certfleet/examples\|/usr/bin/certfleet$' agent-contents.txt && { echo "the agent package carries the CA's files"; exit 1; }
# No file in both packages (dpkg -i of both would refuse the second).
comm -12 <(grep -v '/$' contents.txt | sort) <(grep -v '/$' agent-contents.txt | sort) | grep -q . &&
  { echo "files in both packages: $(comm -12 <(grep -v '/$' contents.txt | sort) <(grep -v '/$' agent-contents.txt | sort))"; exit 1; }
zcat agent-root/usr/share/man/man1/certfleet-agent.1.gz | grep -q 'certfleet-agent' || { echo "agent man page"; exit 1; }
grep -qxF ./usr/lib/systemd/system/certfleet-serve.service contents.txt || { echo "no serve unit in certfleet"; exit 1; }
echo "certfleet contains ./usr/lib/systemd/system/certfleet-serve.service"
# systemd reads the units (with the extracted binaries in place of /usr/bin, which this machine lacks).
mkdir units
sed "s#/usr/bin/certfleet #$PWD/root/usr/bin/certfleet #" root/usr/lib/systemd/system/certfleet-serve.service > units/certfleet-serve.service
sed "s#/usr/bin/certfleet-agent #$PWD/agent-root/usr/bin/certfleet-agent #" agent-root/usr/lib/systemd/system/certfleet-agent.service > units/certfleet-agent.service
for unit in units/*; do
  systemd-analyze verify "$unit" > verify.log 2>&1 || { cat verify.log; echo "$unit: systemd-analyze verify failed"; exit 1; }
  echo "systemd-analyze verify: $(basename "$unit") ok"
done

# cmake --install lays out the same files under a prefix.
cmake --install "$build" --prefix "$PWD/prefix" --component certfleet > install.log
for path in bin/certfleet share/man/man1/certfleet.1.gz share/bash-completion/completions/certfleet \
            share/doc/certfleet/examples/hosts.yaml; do
  [[ -e prefix/$path ]] || { echo "cmake --install: no $path"; exit 1; }
done
echo "cmake --install: binary, man pages, completion, examples"
