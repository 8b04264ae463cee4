# SPDX-License-Identifier: GPL-2.0
# Helpers for the harness self-tests, which run on this machine (not in a
# VM) and check that the lab and the runner report what really happened.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

fail()
{
	echo "FAIL: $*"
	status=1
}

# expect_output WHAT PATTERN TEXT: TEXT must match the extended regex.
expect_output()
{
	printf '%s\n' "$3" | grep -qE "$2" || fail "$1: output lacks /$2/:
$3"
}
