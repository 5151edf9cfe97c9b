# shellcheck shell=bash
# Which of the server's features are in the jars being tested (the checks that need a missing one SKIP, or
# FAIL when ECHOACK_CI_REQUIRE names it; see report.sh's skip).
# Needs: SERVER_JAR, CLIENT_JAR. Sets: HAS_ENV, HAS_ADMIN, HAS_DRAIN, HAS_REUSE, HAS_BENCH, HAS_FLEET.

detect_features() {
    # --help lists flags; the env probe makes the config fail on an invalid ECHOACK_MODE before anything is
    # bound, and only a server that reads the variable names the bad value in its error.
    local help probe
    help=$(java -jar "$SERVER_JAR" --help 2>&1)
    HAS_ADMIN=0; grep -q -- '--admin' <<<"$help" && HAS_ADMIN=1
    HAS_DRAIN=0; grep -q -- '--drain-timeout' <<<"$help" && HAS_DRAIN=1
    HAS_REUSE=0; grep -q -- '--reuse-port' <<<"$help" && HAS_REUSE=1
    HAS_ENV=0
    probe=$(ECHOACK_MODE=echoack-ci-probe timeout 20 java -jar "$SERVER_JAR" \
        --listen unix:///dev/null/echoack-ci-probe.sock 2>&1)
    grep -q 'echoack-ci-probe' <<<"${probe//echoack-ci-probe.sock/}" && HAS_ENV=1
    HAS_BENCH=0; grep -q '^Usage: echoack bench' <<<"$(java -jar "$CLIENT_JAR" bench --help 2>&1)" && HAS_BENCH=1
    # load from many clients: bench --start-at and echoack merge
    HAS_FLEET=0
    grep -q -- '--start-at' <<<"$(java -jar "$CLIENT_JAR" bench --help 2>&1)" \
        && grep -q '^Usage: echoack merge' <<<"$(java -jar "$CLIENT_JAR" merge --help 2>&1)" && HAS_FLEET=1
    log "server features: env=$HAS_ENV admin=$HAS_ADMIN drain-timeout=$HAS_DRAIN reuse-port=$HAS_REUSE; client bench=$HAS_BENCH fleet=$HAS_FLEET"
}
