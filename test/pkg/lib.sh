# test/pkg/lib.sh: what the host tests of test/pkg/ share (sourced by bash):
# TAP-like "ok - ..." / "not ok - ..." lines and one closing
# "<suite>: N passed, N failed".  The caller sets `suite` first.
# shellcheck shell=bash

: "${suite:?set suite before sourcing lib.sh}"
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }
# expect WHAT COMMAND...: COMMAND must succeed
expect() { local w="$1"; shift; if "$@"; then ok "$w"; else not_ok "$w"; fi; }
# refuse WHAT COMMAND...: COMMAND must fail
refuse() { local w="$1"; shift; if "$@"; then not_ok "$w (it succeeded)"; else ok "$w"; fi; }
# has WHAT FILE STRING: FILE contains the fixed STRING
has() {
	if grep -q -F -- "$3" "$2"; then ok "$1"
	else not_ok "$1: no '$3' in $2"; sed 's/^/#   /' "$2" | head -20; fi
}
lacks() {
	if grep -q -F -- "$3" "$2"; then not_ok "$1: '$3' in $2"; sed 's/^/#   /' "$2" | head -20
	else ok "$1"; fi
}
finish() {
	echo "$suite: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
