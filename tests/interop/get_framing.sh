#!/usr/bin/env bash
# `glasstcp get` against a kernel server that frames its responses in every
# way RFC 9112 6.3 allows, and some it does not: the body must be decoded
# (chunked with extensions and trailers, Content-Length with junk after it,
# a 100 Continue first, a body up to the close), and a body that is not the
# body (cut short, reset, a malformed chunk, a coding we cannot decode) must
# give a non-zero exit and a message naming the cause. The server is a
# small python3 program bound to 10.200.0.1 inside the test's namespace.
. "$(dirname "$0")/lib.sh"
need python3
enter_netns "$@"

make_tun
head -c 1M /dev/urandom >"$WORK/big"
cat >"$WORK/srv.py" <<'EOF'
import random, socket, socketserver, struct, sys, time

BIG = open(sys.argv[1], "rb").read()

def chunked(body, sizes):
    out, i = b"", 0
    for n in sizes:
        out += b"%x;ext=%d\r\n" % (n, n) + body[i:i + n] + b"\r\n"
        i += n
    return out + b"%X\r\n" % (len(body) - i) + body[i:] + b"\r\n" + b"0\r\nX-Trailer: yes\r\n\r\n"

def big_chunks():
    rnd, sizes, left = random.Random(7), [], len(BIG)
    while left > 70000:
        n = rnd.choice([1, 2, 15, 16, 17, 1000, 4096, 65535, 65536])
        sizes.append(n)
        left -= n
    return chunked(BIG, sizes)

H200 = b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
TE = H200 + b"Transfer-Encoding: chunked\r\n\r\n"
RESP = {
    "/chunked": TE + b"5;a=b\r\nhello\r\n1 ; x\r\n \r\n0006\r\nworld!\r\n0\r\nX-T: 1\r\n\r\n",
    "/chunked-big": TE + big_chunks(),
    "/chunked-bad": TE + b"5\r\nhello\r\nzz\r\nmore\r\n0\r\n\r\n",
    "/chunked-long": TE + b"5\r\nhelloEXTRA\r\n0\r\n\r\n",
    "/chunked-huge": TE + b"1000000000000000\r\nx\r\n",
    "/chunked-cut": TE + b"5\r\nhello\r\n",
    "/length-junk": H200 + b"Content-Length: 5\r\n\r\nhelloJUNK AFTER THE BODY",
    "/length-short": H200 + b"Content-Length: 1000\r\n\r\n" + b"x" * 500,
    "/length-bad": H200 + b"Content-Length: 12abc\r\n\r\nhello",
    "/continue": b"HTTP/1.1 100 Continue\r\n\r\n" + H200 + b"Content-Length: 3\r\n\r\nabc",
    "/until-close": b"HTTP/1.0 200 OK\r\n\r\nbody until close",
    "/gzip": H200 + b"Transfer-Encoding: gzip\r\n\r\n\x1f\x8b",
    "/te-and-length": H200 + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
}

class H(socketserver.BaseRequestHandler):
    def handle(self):
        s, req = self.request, b""
        while b"\r\n\r\n" not in req:
            d = s.recv(4096)
            if not d:
                return
            req += d
        path = req.split(b" ")[1].decode()
        if path == "/reset":
            # Part of a promised body, then an RST: SO_LINGER {1, 0}.
            # The pause lets get read the part first: a stack may drop
            # unread data when the RST comes (Linux does).
            s.sendall(H200 + b"Content-Length: 100000\r\n\r\n" + b"r" * 5000)
            time.sleep(0.5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close() # now, before socketserver's shutdown(SHUT_WR) could send a FIN
            return
        s.sendall(RESP.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))

socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("10.200.0.1", 8081), H).serve_forever()
EOF
timeout 200 python3 "$WORK/srv.py" "$WORK/big" >"$WORK/srv.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ss -tln | grep -q "$KADDR:8081" && break; sleep 0.05; done
ss -tln | grep -q "$KADDR:8081" || fail "the python server did not start: $(cat "$WORK/srv.log")"

C=(--tun gt0 --addr $GADDR/24 --quiet)
# get PATH: runs glasstcp get; sets rc, the body in $WORK/out, stderr in $WORK/err.
get() {
	rc=0
	timeout 30 "$GT" get "http://$KADDR:8081$1" -o "$WORK/out" "${C[@]}" 2>"$WORK/err" || rc=$?
}
good() { # good PATH EXPECTED-BODY
	get "$1"
	[ $rc = 0 ] || fail "$1: exit $rc: $(cat "$WORK/err")"
	[ "$(cat "$WORK/out")" = "$2" ] || fail "$1: body '$(head -c 200 "$WORK/out")', want '$2'"
	[ ! -s "$WORK/err" ] || fail "$1: --quiet printed: $(cat "$WORK/err")"
	echo "$1: body intact, exit 0, nothing printed"
}
bad() { # bad PATH WORDS-THE-MESSAGE-MUST-HOLD
	get "$1"
	[ $rc != 0 ] || fail "$1: exit 0 for a body that is not the body"
	grep -q -- "$2" "$WORK/err" || fail "$1: message lacks '$2': $(cat "$WORK/err")"
	echo "$1: exit $rc: $(cat "$WORK/err")"
}

good /chunked "hello world!"
good /length-junk hello
good /continue abc
good /until-close "body until close"
good /te-and-length ok
get /chunked-big
[ $rc = 0 ] || fail "/chunked-big: exit $rc: $(cat "$WORK/err")"
[ "$(sha "$WORK/out")" = "$(sha "$WORK/big")" ] || fail "/chunked-big: sha256 differs"
echo "/chunked-big: 1 MB in chunks of 1 B to 64 KiB, intact"

bad /chunked-bad "malformed chunked body: chunk size is not a hex number"
bad /chunked-long "malformed chunked body: chunk data longer than its chunk size"
bad /chunked-huge "chunk size larger than"
bad /chunked-cut "chunked body cut short"
bad /length-short "body cut short: connection closed by the server after 500 of 1000 bytes"
bad /length-bad "bad Content-Length"
bad /gzip "unsupported Transfer-Encoding 'gzip'"
bad /reset "body cut short: Connection reset by peer after 5000 of 100000 bytes"
bad /missing "HTTP 404 Not Found"
pass "chunked, Content-Length, 100 Continue, close-delimited decoded; short, reset, malformed bodies fail with their cause"
