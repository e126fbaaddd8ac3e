#!/bin/sh
# Builds the static library that is installed: every object of the library
# linked into one relocatable object (ld -r), in which only the names the
# shared library exports (cmake/glasstcp.map: gt_*) stay global. Internal
# names (tcp_input, ip_output, ring_alloc...) become local symbols, so a
# program may link libglasstcp.a beside another stack (lwIP has tcp_input
# too) as it can link libglasstcp.so. The in-tree programs, which call
# internal functions, link the internal archive instead.
#
#   public_archive.sh OUT.a SHARED_LIB NM LD OBJCOPY AR OBJECT...
set -eu
export LC_ALL=C # sort and comm must agree on the order

if [ $# -lt 7 ]; then
	echo "usage: $0 OUT.a SHARED_LIB NM LD OBJCOPY AR OBJECT..." >&2
	exit 2
fi
out=$1 shared=$2 nm=$3 ld=$4 objcopy=$5 ar=$6
shift 6

tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# The list comes from what the shared library really exports, so that both
# libraries offer the same names and the map stays their one definition.
"$nm" -D --defined-only "$shared" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/keep"
if ! [ -s "$tmp/keep" ]; then
	echo "$0: $shared exports nothing" >&2
	exit 1
fi

"$ld" -r -o "$tmp/glasstcp.o" "$@"
"$objcopy" --keep-global-symbols="$tmp/keep" "$tmp/glasstcp.o" "$tmp/glasstcp_public.o"

# Whatever is still global and defined must be on the list: a name made
# global some other way (a common symbol, a new kind of section) would
# otherwise leak unnoticed.
leaked=$("$nm" -g --defined-only "$tmp/glasstcp_public.o" | awk 'NF == 3 { print $3 }' |
	sort -u | comm -23 - "$tmp/keep")
if [ -n "$leaked" ]; then
	echo "$0: internal names still global in the public archive:" $leaked >&2
	exit 1
fi

rm -f "$out"
"$ar" rcs "$out" "$tmp/glasstcp_public.o"
