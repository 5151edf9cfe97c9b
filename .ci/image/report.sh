# shellcheck shell=bash
# Reporting for .ci/image-test: every check ends as one PASS, FAIL or SKIP line, and the summary's count line
# ("image-test: N passed, N failed, N skipped") is what .ci/run adds to its closing line.
# Needs: T0 (the start, in $SECONDS), REQUIRE (" feature ... ", the features whose checks may not SKIP).

RESULTS=()
FAILED=0
log() { printf '[image-test %3ds] %s\n' "$((SECONDS - T0))" "$*"; }
pass() { RESULTS+=("PASS  $1"); log "PASS $1"; }
fail() { RESULTS+=("FAIL  $1${2:+ -- $2}"); FAILED=$((FAILED + 1)); log "FAIL $1${2:+ -- $2}"; }
# skip NAME FEATURE REASON: a check that waits for a server feature; a failure if the feature is required
skip() {
    if [[ $REQUIRE == *" $2 "* ]]; then
        fail "$1" "required feature '$2' missing: $3"
    else
        RESULTS+=("SKIP  $1 -- $3"); log "SKIP $1 -- $3"
    fi
}
# check NAME COMMAND...: PASS when the command succeeds, FAIL (with its output) when not
check() {
    local name=$1 out; shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(tail -c 600 <<<"$out" | tr '\n' ' ')"; fi
}
# expect NAME WANT COMMAND...: PASS when the command succeeds and prints exactly WANT
expect() {
    local name=$1 want=$2 out; shift 2
    if out=$("$@" 2>&1) && [[ $out == "$want" ]]; then pass "$name"
    else fail "$name" "wanted '$want', got '$(tail -c 400 <<<"$out" | tr '\n' ' ')'"; fi
}
summary() {
    echo
    echo "==================== image-test summary ($((SECONDS - T0)) s) ===================="
    local r; for r in "${RESULTS[@]}"; do echo "  $r"; done
    local p s; p=$(printf '%s\n' "${RESULTS[@]}" | grep -c '^PASS' || true)
    s=$(printf '%s\n' "${RESULTS[@]}" | grep -c '^SKIP' || true)
    echo "image-test: $p passed, $FAILED failed, $s skipped"
    if ((FAILED == 0)); then echo "image-test: PASS"; else echo "image-test: FAIL"; fi
}
# fatal MESSAGE: the test cannot go on (no engine, no image): record, summarize, exit (cleanup runs)
fatal() { fail "$1" "${2:-}"; summary; exit 1; }
