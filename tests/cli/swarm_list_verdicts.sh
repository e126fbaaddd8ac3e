#!/bin/sh
# glasstcp swarm --list-verdicts (issue 15): a line per side judged other
# than clean, "verdict: seed S plan P conn C client|server NAME", as many
# as the run's verdict table counts beside clean (with --jobs too); none
# without the option; the option named in --help; " workload NAME" after
# the plan for a shape asked for with --workload; "resumed: ..." where the
# work resumed for a connection back during the heal; "half-open: ... RULE"
# for a side closed half-open, with the rule that explained it, and the
# end-of-run summary's total of those by rule.
GT=${1:?usage: swarm_list_verdicts.sh GLASSTCP}
fail() { echo "FAIL: $*"; exit 1; }
"$GT" swarm --help | grep -q -- '--list-verdicts' || fail "--help does not name --list-verdicts"
# Plan 4 named: the default moves with each plan (5 since h-swarm15).
out=$("$GT" swarm --seeds 4 --first-seed 86004140 --plan 4 --jobs 2 --list-verdicts) || fail "seeds failed: $out"
lines=$(echo "$out" | grep -c '^verdict: ')
bad=$(echo "$out" | grep '^verdict: ' | grep -Evc '^verdict: seed 8600414[0-3] plan 4 conn [0-9]+ (client|server) [a-z0-9-]+$')
table=$(echo "$out" | sed -n 's/^verdicts (sides)://p' |
	awk '{ n = 0; for (i = 1; i < NF; i += 2) if ($i != "clean") n += $(i + 1); print n }')
echo "listed $lines, the table's sides not clean $table, malformed $bad"
[ "$lines" -gt 0 ] || fail "nothing listed"
[ "$bad" = 0 ] || fail "malformed lines: $(echo "$out" | grep '^verdict: ' | head -3)"
[ "$lines" = "$table" ] || fail "listed $lines, the table counts $table"
plain=$("$GT" swarm --seeds 4 --first-seed 86004140 --plan 4 --jobs 2 | grep -c '^verdict: ')
[ "$plain" = 0 ] || fail "$plain verdict lines without --list-verdicts"
# A workload shape asked for (--workload) is named in each line.
"$GT" swarm --help | grep -q -- '--workload' || fail "--help does not name --workload"
"$GT" swarm --seeds 1 --first-seed 12 --plan 4 --workload blind-reset --list-verdicts |
	grep -qx 'verdict: seed 12 plan 4 workload blind-reset conn 0 client blind-reset' ||
	fail "--workload blind-reset: seed 12's conn 0 client not listed blind-reset"
"$GT" swarm --seeds 1 --first-seed 1 --plan 4 --workload kept-sliver --list-verdicts |
	grep -qx 'verdict: seed 1 plan 4 workload kept-sliver conn 0 server kept-sliver' ||
	fail "--workload kept-sliver: seed 1's conn 0 server not listed kept-sliver"
# A side closed half-open: the rule of half_open_unexplained() that
# explained it, "half-open: seed S plan P ... conn C client|server RULE"
# (seed 4's server, its client reset blindly: scenario.swarm_workload_
# blind_reset_seed_4_peer_left_half_open).
"$GT" swarm --seeds 1 --first-seed 4 --plan 4 --workload blind-reset --list-verdicts |
	grep -qx 'half-open: seed 4 plan 4 workload blind-reset conn 1 server blind-reset' ||
	fail "--workload blind-reset: seed 4's conn 1 server not listed half-open by blind-reset"
# The end-of-run summary totals the half-open rules: "half-open (sides, by
# rule): RULE N ...", as many as the "half-open:" lines (with --jobs too),
# and one verdict a side: their sum is the sides judged half-open-closed
# or cookie-after-rst (seeds 4 and 5 of the shape: blind-reset 1,
# rst-lost 1).
out=$("$GT" swarm --seeds 3 --first-seed 3 --plan 4 --workload blind-reset --jobs 2 --list-verdicts) ||
	fail "blind-reset seeds 3-5 failed: $out"
ho_lines=$(echo "$out" | grep -c '^half-open: ')
ho_sum=$(echo "$out" | sed -n 's/^half-open (sides, by rule)://p' |
	awk '{ n = 0; for (i = 1; i < NF; i += 2) n += $(i + 1); print n }')
ho_verdicts=$(echo "$out" | sed -n 's/^verdicts (sides)://p' |
	awk '{ n = 0; for (i = 1; i < NF; i += 2)
		if ($i == "half-open-closed" || $i == "cookie-after-rst") n += $(i + 1); print n }')
echo "half-open lines $ho_lines, the summary's rules $ho_sum, its verdicts $ho_verdicts"
[ -n "$ho_sum" ] || fail "no half-open summary line"
[ "$ho_lines" -gt 0 ] || fail "no half-open line"
[ "$ho_lines" = "$ho_sum" ] || fail "$ho_lines half-open lines, the summary totals $ho_sum"
[ "$ho_sum" = "$ho_verdicts" ] || fail "the summary's rules total $ho_sum, its verdicts $ho_verdicts"
echo "$out" | grep -q '^half-open (sides, by rule):.* blind-reset 1\b' ||
	fail "the summary does not count seed 4's blind-reset"
# A connection back during the heal: the work resumed, listed.
"$GT" swarm --seeds 1 --first-seed 2 --plan 4 --workload late-cookie --list-verdicts |
	grep -qx 'resumed: seed 2 plan 4 workload late-cookie conn 0, 1 times' ||
	fail "--workload late-cookie: seed 2's resumed work not listed"
"$GT" swarm --seeds 1 --workload no-such-shape >/dev/null 2>&1 && fail "an unknown shape accepted"
echo PASS
