#!/bin/sh
# Regenerates the seed corpus in fuzz/corpus/ipv6 from fuzz/gen_corpus_ipv6.c
# (the wire layer's sources only, any C compiler).
set -eu
cd "$(dirname "$0")/.."
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$CC -std=c17 -O1 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -I. \
	fuzz/gen_corpus_ipv6.c src/wire/ipv6.c src/wire/icmp6.c src/wire/tcp_wire.c \
	src/util/checksum.c -o "$tmp/gen"
rm -rf fuzz/corpus/ipv6
"$tmp/gen" fuzz/corpus
printf '%-12s %3d files %6d bytes\n' ipv6 "$(ls fuzz/corpus/ipv6 | wc -l)" \
	"$(cat fuzz/corpus/ipv6/* | wc -c)"
