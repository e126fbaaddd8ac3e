#!/bin/sh
# glasstcp swarm --profile linux|freebsd|mixed (issue 15): every host the
# profile named, or each drawn by the seed (mixed, the default, whose runs
# are those before the option: the same digests); the profile named in
# --help and in each --list-verdicts line after the plan (" profile P");
# a bad value, or one a shape contradicts, refused with a message naming it.
GT=${1:?usage: swarm_profile.sh GLASSTCP}
fail() { echo "FAIL: $*"; exit 1; }
"$GT" swarm --help | grep -q -- '--profile NAME' || fail "--help does not name --profile"
# The hosts' profiles as the plan prints them (--verbose), seeds 1-4.
hosts() {
	"$GT" swarm --seeds 4 --first-seed 1 --plan 5 --verbose "$@" |
		grep -E '^  h[0-9]+ [0-9.]+ [a-z]+ mtu' | awk '{print $3}' | sort | uniq -c | tr -s ' \n' ' '
}
mixed=$(hosts)
echo "mixed:$mixed"
echo "$mixed" | grep -q ' linux' && echo "$mixed" | grep -q ' freebsd' ||
	fail "seeds 1-4 drew no mix of profiles: $mixed"
[ "$(hosts --profile linux)" = " 10 linux " ] || fail "--profile linux: $(hosts --profile linux)"
[ "$(hosts --profile freebsd)" = " 10 freebsd " ] ||
	fail "--profile freebsd: $(hosts --profile freebsd)"
a=$("$GT" swarm --seeds 3 --first-seed 1 --plan 5 --digest | grep digest)
b=$("$GT" swarm --seeds 3 --first-seed 1 --plan 5 --digest --profile mixed | grep digest)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "--profile mixed changed the digests: $a / $b"
"$GT" swarm --seeds 1 --first-seed 3 --plan 5 --profile linux --list-verdicts |
	grep -q '^verdict: seed 3 plan 5 profile linux conn [0-9]* \(client\|server\) [a-z-]*$' ||
	fail "--profile linux not named in the --list-verdicts lines"
# Bad values: refused, exit status 2, the value named.
err=$("$GT" swarm --seeds 1 --profile bsd 2>&1) && fail "--profile bsd accepted"
echo "$err" | grep -q "'bsd'" || fail "--profile bsd: the message does not name it: $err"
echo "$err" | grep -q 'linux, freebsd or mixed' || fail "--profile bsd: no choices: $err"
"$GT" swarm --seeds 1 --profile >/dev/null 2>&1 && fail "--profile without a value accepted"
err=$("$GT" swarm --seeds 1 --profile linux --workload lowat-trickle 2>&1) &&
	fail "--profile linux with the FreeBSD shape lowat-trickle accepted"
echo "$err" | grep -q 'lowat-trickle' || fail "the contradiction not named: $err"
echo PASS
