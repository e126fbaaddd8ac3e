#!/bin/sh
# Regenerates the seed corpora in fuzz/corpus/{wire,stack_input,conn_state}
# from fuzz/gen_corpus.c (the core's sources, any C compiler).
set -eu
cd "$(dirname "$0")/.."
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$CC -std=c17 -O1 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -I. -Ifuzz \
	fuzz/gen_corpus.c src/*.c src/*/*.c -lm -o "$tmp/gen"
# Written over in place: seeds kept by hand (crash inputs) stay.
"$tmp/gen" fuzz/corpus
for d in wire stack_input conn_state; do
	printf '%-12s %3d files %6d bytes\n' "$d" "$(ls fuzz/corpus/$d | wc -l)" \
		"$(cat fuzz/corpus/$d/* | wc -c)"
done
