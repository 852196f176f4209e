#!/usr/bin/python3
"""Memory per idle TLS connection of `certfleet serve` (issue 14: a held long-poll must cost < 40 KB).

Usage: bench/serve_idle_connections.py CERTFLEET_BINARY [N]

Makes a CA in a temporary directory, starts `certfleet serve` on a free 127.0.0.1 port, then holds N
TLS connections open in two states, measuring the server's resident memory (VmRSS, and Private_Dirty
from smaps_rollup) before and after each batch:
  idle     handshake done, one request answered, connection kept alive (what a held poll keeps:
           no parser, no request buffer, TLS record buffers released)
  partial  handshake done and half a request header sent (the parser and its buffer are live)
Stops the server at the end (and on any failure). Bounded: N connections, at most a few seconds each.
"""
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time


def rss_kb(pid):
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts[0] in ("Rss:", "Private_Dirty:"):
                values[parts[0][:-1]] = int(parts[1])
    return values


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_healthy(port, cafile, proc):
    context = ssl.create_default_context(cafile=cafile)
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit("server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                with context.wrap_socket(sock, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    if b"200 OK" in tls.recv(4096):
                        return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit("server did not come up")


def hold(port, cafile, count, state):
    context = ssl.create_default_context(cafile=cafile)
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        tls = context.wrap_socket(sock, server_hostname="localhost")
        if state == "idle":
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.endswith(b"}"):
                reply += tls.recv(4096)
        else:
            tls.sendall(b"GET /v1/actions?wait=60 HTTP/1.1\r\nHost: localhost\r\n")
        held.append(tls)
    return held


def main():
    binary = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    work = tempfile.mkdtemp(prefix="certfleet-idle-")
    env = dict(os.environ, CERTFLEET_STORE=f"sqlite://{work}/certfleet.db", CERTFLEET_STATE_DIR=work,
               OPENSSL_CONF="/dev/null")
    with open(f"{work}/pw", "w") as f:
        f.write("bench passphrase\n")
    subprocess.run([binary, "ca", "init", "--name", "main", "--subject", "CN=Bench Root", "--passphrase-file",
                    f"{work}/pw"], env=env, check=True, capture_output=True)
    subprocess.run([binary, "ca", "export", "--root-only", "--out", f"{work}/root.pem"], env=env, check=True,
                   capture_output=True)
    port = free_port()
    with open(f"{work}/server.yaml", "w") as f:
        f.write(f"listen: 127.0.0.1:{port}\npassphrase_file: {work}/pw\nlog_level: warn\n"
                "limits: {idle_timeout: 10m, read_timeout: 10m, workers: 2}\n")
    proc = subprocess.Popen([binary, "serve", "--config", f"{work}/server.yaml"], env=env,
                            stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, f"{work}/root.pem", proc)
        # warm-up: the first connections grow the allocator's arenas once
        for sock in hold(port, f"{work}/root.pem", 200, "idle"):
            sock.close()
        time.sleep(0.5)
        print(f"certfleet serve, {count} connections per state, OpenSSL {ssl.OPENSSL_VERSION}")
        print(f"{'state':10} {'RSS KB/conn':>12} {'dirty KB/conn':>14}")
        # Both batches stay open to the end: memory freed by one batch would otherwise be reused by the next.
        held = []
        for state in ("idle", "partial"):
            before = rss_kb(proc.pid)
            held += hold(port, f"{work}/root.pem", count, state)
            time.sleep(0.5)
            after = rss_kb(proc.pid)
            print(f"{state:10} {(after['Rss'] - before['Rss']) / count:12.1f} "
                  f"{(after['Private_Dirty'] - before['Private_Dirty']) / count:14.1f}")
        for sock in held:
            sock.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
