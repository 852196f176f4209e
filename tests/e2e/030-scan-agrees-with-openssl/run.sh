# scan agrees with `openssl x509` (and `openssl pkcs12`, `keytool`) on a tree of certificates, bundles,
# DER, PKCS#12, a JKS and damaged files; filters and exit codes; JSON, CSV and Prometheus outputs.
pki=$TESTDATA/pki
mkdir -p tree/nodes/deep tree/keystores tree/damaged clean
for f in root intermediate server expired not_yet_valid client_only ed25519 revoked fullchain bundle_with_key; do
  cp "$pki/$f.pem" tree/nodes/
done
cp "$pki/server.der" tree/nodes/deep/
cp "$pki/server.key" tree/nodes/  # a key only: no certificate, not an error
cp "$pki/server.p12" tree/keystores/node1.p12
keytool -importkeystore -noprompt -srckeystore "$pki/server.p12" -srcstoretype PKCS12 \
  -srcstorepass changeit -destkeystore tree/keystores/node1.jks -deststoretype JKS \
  -deststorepass changeit >/dev/null 2>&1
cp "$pki/bad_base64.pem" "$pki/no_end.pem" "$pki/truncated.der" tree/damaged/
printf 'not a certificate at all\n' > tree/damaged/notes.txt
head -c 300 "$pki/server.p12" > tree/damaged/cut.p12
cp "$pki/p12pass.txt" ks.pass
cat > passwords.yaml <<'YAML'
passwords:
  - glob: "*.p12"
    password_file: ks.pass
  - glob: "*.jks"
    password: changeit
YAML
cp "$pki/server.pem" "$pki/root.pem" clean/

set +e
"$CERTFLEET" scan -r --passwords passwords.yaml --json --prometheus metrics.prom tree > scan.json 2> scan.err
rc=$?
set -e
echo "scan of a tree with damaged files: exit $rc"

# Per file, compare every certificate with what openssl reads from the same file.
python3 - "$pki" <<'PY'
import json, subprocess, sys, os, collections, datetime
report = json.load(open("scan.json"))
ours = collections.defaultdict(list)
for c in report["certificates"]:
    ours[c["path"]].append(c)
errors = {e["path"]: e["error"] for e in report["errors"]}

def openssl_certs(path):
    """Every certificate openssl finds in `path`, as PEM strings; None if openssl cannot read it."""
    if path.endswith(".jks"):
        return None
    if path.endswith(".p12"):
        r = subprocess.run(["openssl", "pkcs12", "-in", path, "-nokeys", "-passin", "file:ks.pass"],
                           capture_output=True, text=True)
    elif path.endswith(".der"):
        r = subprocess.run(["openssl", "x509", "-inform", "DER", "-in", path], capture_output=True, text=True)
    else:  # PEM: the certificate blocks only, as a bundle with a key holds
        p7 = subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", path], capture_output=True, text=True)
        if p7.returncode != 0:
            return None
        r = subprocess.run(["openssl", "pkcs7", "-print_certs"], input=p7.stdout, capture_output=True, text=True)
    if r.returncode != 0:
        return None
    blocks, cur = [], None
    for line in r.stdout.splitlines():
        if line.startswith("-----BEGIN CERTIFICATE"):
            cur = [line]
        elif cur is not None:
            cur.append(line)
            if line.startswith("-----END CERTIFICATE"):
                blocks.append("\n".join(cur) + "\n"); cur = None
    return blocks

def x509_fields(pem):
    out = subprocess.run(["openssl", "x509", "-noout", "-nameopt", "RFC2253", "-subject", "-serial",
                          "-enddate", "-fingerprint", "-sha256"], input=pem, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    d = dict(l.split("=", 1) for l in out)
    end = datetime.datetime.strptime(d["notAfter"], "%b %d %H:%M:%S %Y GMT").replace(tzinfo=datetime.timezone.utc)
    return (d["subject"], d["serial"].lower().lstrip("0") or "0", int(end.timestamp()), d["sha256 Fingerprint"])

def our_fields(c):
    end = datetime.datetime.strptime(c["not_after"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return (c["subject"], c["serial"].lstrip("0") or "0", int(end.timestamp()), c["sha256"])

agree = 0
for dirpath, _, files in os.walk("tree"):
    for name in files:
        path = os.path.join(dirpath, name)
        if name.endswith(".key"):
            assert path not in errors and path not in ours, f"{path}: a key file is neither an error nor a certificate"
            continue
        theirs = openssl_certs(path)
        if path.endswith(".jks"):
            # JKS arrives with formats/ (read_artifact): until then it must be listed as an error;
            # once read, its certificates must be the keytool export of the same keystore.
            if path in errors:
                print(f"{path}: listed as an error: {errors[path]}", file=sys.stderr)
                continue
            rfc = subprocess.run(["keytool", "-list", "-rfc", "-keystore", path, "-storepass", "changeit"],
                                 capture_output=True, text=True, check=True).stdout
            theirs = ["-----BEGIN CERTIFICATE-----" + b.split("-----END CERTIFICATE-----")[0] +
                      "-----END CERTIFICATE-----\n" for b in rfc.split("-----BEGIN CERTIFICATE-----")[1:]]
        if not theirs:
            assert path in errors, f"{path}: openssl cannot read it, but scan listed no error"
            assert errors[path], f"{path}: error without a reason"
            assert path not in ours, f"{path}: unreadable, yet scan listed certificates"
            continue
        assert path not in errors, f"{path}: openssl reads it, scan says {errors.get(path)}"
        a = sorted(our_fields(c) for c in ours.get(path, []))
        b = sorted(x509_fields(p) for p in theirs)
        assert a == b, f"{path}: scan {a} != openssl {b}"
        agree += len(a) if not path.endswith(".jks") else 0  # JKS checked, not counted (see above)
print(f"certificates agreeing with openssl: {agree}")
print("unreadable files listed as errors:", " ".join(sorted(os.path.relpath(p, "tree") for p in errors
                                                            if not p.endswith(".jks"))))
PY
grep -q "tree/damaged/bad_base64.pem: .*base64" scan.err || { echo "stderr lacks the bad_base64 reason"; exit 1; }
[[ $rc == 2 ]] || { echo "expected exit 2 with unreadable files, got $rc"; exit 1; }

# The Prometheus file parses with the reference parser and says what the JSON says.
/usr/bin/python3 - <<'PY'
import json, datetime
from prometheus_client.parser import text_string_to_metric_families
report = json.load(open("scan.json"))
families = {f.name: f for f in text_string_to_metric_families(open("metrics.prom").read())}
for name in ("x509_cert_not_after", "x509_cert_not_before", "x509_cert_expired", "x509_read_errors"):
    assert name in families, name
    assert families[name].type == "gauge", name
not_after = {}
for s in families["x509_cert_not_after"].samples:
    for label in ("filepath", "filename", "subject_CN", "issuer_CN", "serial_number"):
        assert label in s.labels, (label, s.labels)
    not_after[(s.labels["filepath"], int(s.labels["serial_number"]))] = s.value
for c in report["certificates"]:
    end = datetime.datetime.strptime(c["not_after"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    assert not_after[(c["path"], int(c["serial"], 16))] == end.timestamp(), c["path"]
expired = [s.labels["filepath"] for s in families["x509_cert_expired"].samples if s.value == 1]
assert expired == ["tree/nodes/expired.pem"], expired
errors = families["x509_read_errors"].samples[0].value
assert errors == len(report["errors"]), (errors, len(report["errors"]))
print("prometheus file parses and agrees with the JSON")
PY
grep -q '^x509_cert_not_after{.*subject_CN="node1.example.com"' metrics.prom
grep -q '^# TYPE x509_cert_expired gauge$' metrics.prom

# Filters and exit codes.
set +e
"$CERTFLEET" scan -r --passwords passwords.yaml --expiring 30d --json tree > expiring.json 2>/dev/null
rc_expiring=$?
"$CERTFLEET" scan --expiring 30d clean > /dev/null 2>&1
rc_clean=$?
set -e
echo "--expiring 30d on the tree: exit $rc_expiring; on valid certificates only: exit $rc_clean"
python3 -c 'import json; print("expiring:", sorted({c["path"] for c in json.load(open("expiring.json"))["certificates"]}))'
"$CERTFLEET" scan -r --issuer "Test Root" --csv tree/nodes > root_issued.csv
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("root_issued.csv")))
assert rows and all("CN=certfleet Test Root" in r["issuer"] for r in rows), rows
print("--issuer 'Test Root' --csv:", len(rows), "rows,", ", ".join(sorted({r["subject"] for r in rows})))
PY
"$CERTFLEET" scan -r --name apps.example.com --json tree/nodes |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print("--name apps.example.com (a SAN):", sorted({c["path"] for c in r["certificates"]}))'
