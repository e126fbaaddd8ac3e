#!/bin/sh
# The README's `glasstcp sim` example is what the binary prints: the command
# on its "$ ./build/glasstcp sim" line is run, and its output must equal the
# block that follows, line for line, up to the "result:" line. A behaviour
# change that moves the example fails here until the README moves with it.
GT=${1:?usage: readme_sim.sh GLASSTCP README}
README=${2:?usage: readme_sim.sh GLASSTCP README}
cmd=$(sed -n 's/^\$ \.\/build\/glasstcp \(sim .*\)$/\1/p' "$README" | head -n 1)
[ -n "$cmd" ] || { echo "FAIL: no '\$ ./build/glasstcp sim' line in $README"; exit 1; }
want=$(mktemp) got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
sed -n '/^\$ \.\/build\/glasstcp sim /,/^result:/p' "$README" | tail -n +2 > "$want"
# shellcheck disable=SC2086 # the README's arguments, split as a shell would
"$GT" $cmd > "$got" 2>&1 || { echo "FAIL: glasstcp $cmd exited $?"; cat "$got"; exit 1; }
if ! diff -u "$want" "$got"; then
	echo "FAIL: README.md's example of 'glasstcp $cmd' is not what the binary prints (diff above: - README, + binary)"
	exit 1
fi
echo "PASS: glasstcp $cmd prints the README's $(wc -l < "$want") lines"
