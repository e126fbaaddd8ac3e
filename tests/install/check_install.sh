#!/usr/bin/env bash
# Installs a built tree into a temporary prefix and builds examples/hello_sim.c
# against the installed copy through pkg-config, statically and then against
# the shared library, and runs both. The static archive must export gt_*
# names only (nm) and link beside another stack that defines ip_input,
# tcp_input and tcp_output (two_stacks.c, other_stack.c). Exits 77 (CTest:
# skipped) without pkg-config.
#
#   check_install.sh BUILD_DIR SOURCE_DIR [CC [EXTRA_CFLAGS...]]
set -euo pipefail

if (($# < 2)); then
	echo "usage: $0 BUILD_DIR SOURCE_DIR [CC [EXTRA_CFLAGS...]]" >&2
	exit 2
fi
build=$1 src=$2
cc=${3:-${CC:-cc}}
shift $(($# < 3 ? $# : 3))
extra=("$@")   # e.g. -fsanitize=address,undefined when the tree was built so

if ! command -v pkg-config >/dev/null; then
	echo "SKIP: pkg-config is missing (apt-get install -y pkg-config)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/glasstcp-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp" >"$tmp/install.log" ||
	{ cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }

pcdir=$(dirname "$(find "$tmp" -name glasstcp.pc -path '*/pkgconfig/*' | head -n1)")
[[ -f $pcdir/glasstcp.pc ]] || { echo "FAIL: no glasstcp.pc installed under $tmp"; exit 1; }
export PKG_CONFIG_PATH=$pcdir
# The .pc file names the configure-time prefix; point it at where we installed.
pc=(pkg-config --define-variable=prefix="$tmp" glasstcp)
cflags=$("${pc[@]}" --cflags)
[[ $cflags == *"$tmp"* ]] || { echo "FAIL: pkg-config --cflags ('$cflags') does not point into $tmp"; exit 1; }
libdir=$("${pc[@]}" --variable=libdir)
echo "installed into $tmp; pkg-config: $cflags $("${pc[@]}" --static --libs)"

common=(-std=c17 -Wall -Wextra -Werror "${extra[@]}")

# Static: the archive, plus Libs.private (-lm) from --static. -l:libglasstcp.a
# keeps the linker from preferring the shared library in the same folder.
static_libs=$("${pc[@]}" --static --libs)
static_libs=${static_libs//-lglasstcp/-l:libglasstcp.a}
# shellcheck disable=SC2086 # pkg-config output is a word list
"$cc" "${common[@]}" $cflags "$src/examples/hello_sim.c" $static_libs -o "$tmp/hello_static"
if command -v readelf >/dev/null && readelf -d "$tmp/hello_static" | grep -q 'libglasstcp\.so'; then
	echo "FAIL: the static build links libglasstcp.so"; exit 1
fi
echo "--- static build:"
env -u LD_LIBRARY_PATH "$tmp/hello_static"

# The archive exports the public API only, as the shared library does
# (cmake/glasstcp.map): every defined global name is gt_*, so it links
# beside another stack whose names match glasstcp's internal ones.
archive=$libdir/libglasstcp.a
if command -v nm >/dev/null; then
	leaked=$(nm -g --defined-only "$archive" | awk 'NF == 3 && $3 !~ /^gt_/ { print $3 }')
	[[ -z $leaked ]] || { echo "FAIL: libglasstcp.a exports internal names:" $leaked; exit 1; }
	echo "--- libglasstcp.a: $(nm -g --defined-only "$archive" | awk 'NF == 3' | wc -l) global names, all gt_*"
	internal=$(nm --defined-only "$archive" | awk 'NF == 3 && $3 == "tcp_input"' | wc -l)
	[[ $internal -gt 0 ]] || { echo "FAIL: libglasstcp.a lacks tcp_input even as a local name"; exit 1; }
else
	echo "note: nm missing, the archive's symbol table is not checked"
fi
# shellcheck disable=SC2086
"$cc" "${common[@]}" $cflags "$src/tests/install/two_stacks.c" "$src/tests/install/other_stack.c" \
	$static_libs -o "$tmp/two_stacks" ||
	{ echo "FAIL: libglasstcp.a does not link beside another stack's ip_input/tcp_input"; exit 1; }
echo "--- static build beside another stack:"
env -u LD_LIBRARY_PATH "$tmp/two_stacks"

# Shared: plain --libs resolves -lglasstcp to libglasstcp.so.
shared_libs=$("${pc[@]}" --libs)
# shellcheck disable=SC2086
"$cc" "${common[@]}" $cflags "$src/examples/hello_sim.c" $shared_libs -o "$tmp/hello_shared"
if command -v readelf >/dev/null && ! readelf -d "$tmp/hello_shared" | grep -q 'libglasstcp\.so'; then
	echo "FAIL: the shared build does not link libglasstcp.so"; exit 1
fi
echo "--- shared build:"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/hello_shared"
echo "PASS: installed headers, pkg-config file, static (gt_* only) and shared libraries work"
