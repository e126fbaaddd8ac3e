#!/usr/bin/env bash
# glasstcp's HTTP server answers as RFC 9110 and 9112 say, to curl and to
# raw requests (bash's /dev/tcp) from the kernel: "/" and paths ending in
# "/" serve index.html; %XX decoded, %00 and bad escapes 400, ".." after
# decoding 403 (a file beside DIR stays unread); methods it knows but does
# not allow 405 with "Allow: GET, HEAD" (15.5.6), unknown ones 501 (15.6.2);
# a request head over 8 KiB 431 (RFC 6585 5), a request line over it 414;
# HEAD gets the header fields only, even for an error, so the next response
# on the connection is intact.
. "$(dirname "$0")/lib.sh"
need curl
enter_netns "$@"

mkdir -p "$WORK/www/sub/deeper"
echo "<p>root index</p>" >"$WORK/www/index.html"
echo "sub index" >"$WORK/www/sub/index.html"
echo "a space" >"$WORK/www/a b"
echo "percent" >"$WORK/www/100%"
echo "SECRET" >"$WORK/secret"
serve --http 80 "$WORK/www"
U=http://$GADDR

# code [CURL ARGS...] URL: the status code curl saw.
code() { timeout 20 curl -s --max-time 10 --path-as-is -o "$WORK/body" -D "$WORK/hdr" -w '%{http_code}' "$@"; }
want() { # want CODE DESCRIPTION [CURL ARGS...] URL
	local w=$1 d=$2 got
	shift 2
	got=$(code "$@")
	[ "$got" = "$w" ] || fail "$d: HTTP $got, want $w ($(head -c 200 "$WORK/body"))"
	echo "$d: $w"
}
hdr() { tr -d '\r' <"$WORK/hdr" | awk -F': ' -v h="$1" 'tolower($1)==tolower(h){print $2}'; }

want 200 "GET /" $U/
[ "$(cat "$WORK/body")" = "<p>root index</p>" ] || fail "/ did not serve index.html: $(cat "$WORK/body")"
case "$(hdr Content-Type)" in text/html*) ;; *) fail "index.html as '$(hdr Content-Type)'" ;; esac
want 200 "GET /sub/" $U/sub/
[ "$(cat "$WORK/body")" = "sub index" ] || fail "/sub/ did not serve sub/index.html"
want 404 "GET /sub/deeper/ (no index.html there)" $U/sub/deeper/
want 404 "GET /sub (a directory, no slash)" $U/sub
want 200 "GET /a%20b" "$U/a%20b"
[ "$(cat "$WORK/body")" = "a space" ] || fail "/a%20b: $(cat "$WORK/body")"
want 200 "GET /100%25?q=1" "$U/100%25?q=1"
want 200 "GET /%73ub/index.html" "$U/%73ub/index.html"

want 400 "GET /%00" "$U/%00"
want 400 "GET /index.html%00.txt" "$U/index.html%00.txt"
want 400 "GET /%zz" "$U/%zz"
want 400 "GET /%4" "$U/%4"
for p in /../secret /sub/../../secret /%2e%2e/secret /..%2fsecret /sub/..%2F..%2Fsecret /%2E%2E%2Fsecret /sub/../index.html; do
	want 403 "GET $p" "$U$p"
	grep -q SECRET "$WORK/body" && fail "$p: the file outside DIR was served"
done

for m in POST PUT DELETE OPTIONS PATCH TRACE; do
	want 405 "$m" -X $m $U/index.html
	[ "$(hdr Allow)" = "GET, HEAD" ] || fail "$m: 405 without 'Allow: GET, HEAD' (got '$(hdr Allow)')"
done
want 405 "POST with a body (then the connection closes)" --data-binary 'x=1' $U/index.html
[ "$(hdr Allow)" = "GET, HEAD" ] || fail "POST with a body: no Allow"
for m in FOO BREW get; do
	want 501 "$m (unknown; methods are case-sensitive)" -X $m $U/index.html
done

big=$(head -c 20000 /dev/zero | tr '\0' a)
want 431 "a 20 KB header field" -H "X-Big: $big" $U/index.html
many=()
for i in $(seq 300); do many+=(-H "X-Field-$i: $(head -c 40 /dev/zero | tr '\0' b)"); done
want 431 "300 header fields (14 KB)" "${many[@]}" $U/index.html
# Past what one argument may hold: curl reads it from a file.
printf 'X-Huge: %s\n' "$(head -c 300000 /dev/zero | tr '\0' c)" >"$WORK/huge.hdr"
want 431 "a 300 KB header field (the rest drained, not reset)" -H @"$WORK/huge.hdr" $U/
want 414 "a 10 KB request-target" "$U/$(head -c 10000 /dev/zero | tr '\0' d)"
want 200 "a 7 KB header field (under the limit)" -H "X-Ok: $(head -c 7000 /dev/zero | tr '\0' e)" $U/

# raw REQUESTS...: sends them on one connection, prints what came back.
raw() {
	exec 3<>"/dev/tcp/$GADDR/80" || fail "connect to $GADDR:80"
	printf '%b' "$@" >&3
	timeout 10 cat <&3
	exec 3<&-
}
# HEAD then GET on one connection: a body after the HEAD's header fields
# would be read as the start of the second response.
for h in /index.html /missing /%zz; do
	out=$(raw "HEAD $h HTTP/1.1\r\nHost: x\r\n\r\n" "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" | tr -d '\r')
	first=$(printf '%s\n' "$out" | head -1)
	second=$(printf '%s\n' "$out" | awk 'f && NF {print; exit} /^$/ {f=1}')
	[ "$second" = "HTTP/1.1 200 OK" ] || [ "$h" = /%zz ] || fail "HEAD $h: the next response starts '$second': $out"
	if [ "$h" = /%zz ]; then
		# A 400 closes the connection: nothing may follow the header fields.
		[ "$(printf '%s\n' "$out" | awk 'f {print} /^$/ {f=1}')" = "" ] || fail "HEAD $h: content after the header fields: $out"
	fi
	echo "HEAD $h: '$first', header fields only"
done
len=$(raw "HEAD /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-length"{print $2}')
[ "$len" -gt 0 ] || fail "HEAD of a 404: Content-Length '$len', want the GET's"
out=$(raw "GET http://$GADDR/sub/ HTTP/1.1\r\nHost: $GADDR\r\nConnection: close\r\n\r\n" | tr -d '\r')
printf '%s\n' "$out" | tail -1 | grep -qx "sub index" || fail "absolute-form target: $out"
echo "absolute-form request-target: served"

serve_stop
pass "index.html, %-decoding, 400/403 for bad escapes and '..', 405 + Allow, 501, 431, 414, HEAD without content"
