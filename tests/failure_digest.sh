#!/usr/bin/env sh
# After a failed ctest run: each failed test's name and the last lines of its
# own output, read back from ctest's log, printed together at the end, where
# a CI log that is cut in the middle still shows them (--output-on-failure
# prints them where each test ended, among thousands of lines).
#   usage: failure_digest.sh <build dir> [lines per test, 40]
build=${1:?build dir}
lines=${2:-40}
failed="$build/Testing/Temporary/LastTestsFailed.log"
log="$build/Testing/Temporary/LastTest.log"
[ -s "$failed" ] && [ -f "$log" ] || exit 0
echo "== failed tests, the end of each one's output ($log)"
sed -n 's/^[0-9]*://p' "$failed" | while IFS= read -r name; do
	echo "-- $name"
	awk -v want="$name" -v n="$lines" '
		$0 ~ /^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); cur = $0; next }
		cur == want && $0 == "Output:" { grab = 1; k = 0; getline; next }
		grab && $0 == "<end of output>" { grab = 0; done = 1; next }
		grab { buf[k++] = $0 }
		done && cur == want && /^Test (Failed|Passed)|Timeout|Exception|Not Run/ {
			if (!printed) print "   (" $0 ")"
			printed = 1
		}
		END {
			s = k > n ? k - n : 0
			if (s) print "   [" s " earlier lines in the log]"
			for (i = s; i < k; i++) print "   " buf[i]
		}' "$log"
done
