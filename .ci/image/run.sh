# shellcheck shell=bash
# The server container as a user runs it (docker run -d -p ... -v DIR:/run/echoack echoack), tested from the
# host: health, transport, PID 1, TCP, UDP, the Unix socket through the bind mount, bench, the admin
# endpoints; later stopped with SIGTERM while a connection is open.
# Needs: W, IMAGE, NAME, CLIENT_JAR, DRAIN_TIMEOUT_S, HAS_*. Sets: compat (the flags standing in for
# ECHOACK_* variables on a server that does not read them; hardened.sh and compose.sh use them too), C,
# SOCK_DIR, TCP.

run_server() {
    SOCK_DIR=$W/sock
    mkdir -p "$SOCK_DIR" && chmod 0777 "$SOCK_DIR"
    # Until the server reads ECHOACK_* variables, the same configuration goes in as flags.
    compat=()
    if ((HAS_ENV == 0)); then
        compat=(--listen tcp://0.0.0.0:51717 --listen udp://0.0.0.0:51717 --listen unix:///run/echoack/echoack.sock)
        ((HAS_ADMIN == 1)) && compat+=(--admin http://0.0.0.0:9090)
        skip "configuration by ECHOACK_* environment (image defaults)" env "server ignores ECHOACK_MODE; passed flags instead"
    fi
    C=$NAME-server
    docker run -d --name "$C" --health-interval 1s --health-start-period 60s \
        -p 127.0.0.1::51717/tcp -p 127.0.0.1::51717/udp -p 127.0.0.1::9090/tcp \
        -v "$SOCK_DIR:/run/echoack" "$IMAGE" ${compat[@]+"${compat[@]}"} >/dev/null \
        || fatal "docker run $IMAGE"
    local t=$SECONDS status='' i
    for ((i = 0; i < 480; i++)); do
        status=$(docker inspect -f '{{.State.Status}}/{{.State.Health.Status}}' "$C" 2>/dev/null)
        [[ $status == running/healthy || $status == exited/* ]] && break
        sleep 0.25
    done
    if [[ $status != running/healthy ]]; then
        docker logs "$C" 2>&1 | tail -30
        fatal "container becomes healthy (HEALTHCHECK: echoack check)" "state $status after $((SECONDS - t)) s"
    fi
    pass "container healthy in $((SECONDS - t)) s (HEALTHCHECK echoack check)"
    ((HAS_ENV == 1)) && pass "configuration by ECHOACK_* environment (image defaults, no flags)"

    port() { docker port "$C" "$1" | head -1 | sed 's/.*://'; }
    local udp admin
    TCP=$(port 51717/tcp); udp=$(port 51717/udp); admin=$(port 9090/tcp)
    log "published: tcp 127.0.0.1:$TCP, udp 127.0.0.1:$udp, admin 127.0.0.1:$admin"

    check "native transport in the container (epoll, not the NIO fallback)" \
        logs_have "$C" 'transport epoll'
    expect "PID 1 is java (launcher execs), as uid 10001" "10001 java" \
        bash -c "docker exec $C sh -c 'echo \$(id -u) \$(basename \$(readlink /proc/1/exe))'"
    expect "TCP send from the host" "I got your message" client send "tcp://127.0.0.1:$TCP" hello --timeout 10s
    expect "UDP send from the host" "Got your message" client send "udp://127.0.0.1:$udp" hello --timeout 3s --retries 3
    check "TCP check --expect ack" client check "tcp://127.0.0.1:$TCP" --expect ack --timeout 10s -v
    check "UDP check --expect ack" client check "udp://127.0.0.1:$udp" --expect ack --timeout 3s --retries 3 -v
    expect "TCP pipelined lines (100 messages, one connection)" "100" \
        bash -c "seq 100 | java -jar '$CLIENT_JAR' send tcp://127.0.0.1:$TCP | grep -c '^I got your message\$'"
    expect "Unix socket in the bind-mounted directory, owned by uid 10001" "10001 socket" \
        stat -c '%u %F' "$SOCK_DIR/echoack.sock"
    expect "Unix stream send from the host through the bind mount" "I got your message" \
        client send "unix://$SOCK_DIR/echoack.sock" hello --timeout 10s
    check "client launcher inside the image (echoack check unix://)" \
        docker exec "$C" echoack check unix:///run/echoack/echoack.sock --expect ack --timeout 10s -v
    if ((HAS_BENCH == 1)); then
        check "bench TCP (4 connections, 3 s, --json)" bash -c "java -jar '$CLIENT_JAR' bench tcp://127.0.0.1:$TCP \
            --connections 4 --duration 3s --json - > '$W/bench.json' && node -e 'JSON.parse(require(\"fs\").readFileSync(process.argv[1]))' '$W/bench.json'"
    else
        skip "bench TCP (4 connections, 3 s, --json)" bench "client has no bench command yet"
    fi
    if ((HAS_ADMIN == 1)); then
        expect "admin GET /healthz = 200" "200" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/healthz"
        expect "admin GET /readyz = 200 while serving" "200" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/readyz"
        curl -fsS -D "$W/metrics.headers" -o "$W/metrics.txt" "http://127.0.0.1:$admin/metrics" 2>"$W/metrics.err"
        # Prometheus text format: HELP/TYPE comments, then `name{labels} value [timestamp]` lines
        local bad
        bad=$(grep -vE '^(# (HELP|TYPE|UNIT|EOF)( .*)?|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+]?(Inf|NaN)|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+ [0-9]+)?$' "$W/metrics.txt" | head -3)
        if [[ -s $W/metrics.txt ]] && grep -q '^# TYPE ' "$W/metrics.txt" && [[ -z $bad ]] \
            && grep -qi '^content-type: text/plain' "$W/metrics.headers"; then
            pass "admin GET /metrics: Prometheus text ($(grep -c '^# TYPE ' "$W/metrics.txt") metrics)"
        else
            fail "admin GET /metrics: Prometheus text" "$(cat "$W/metrics.err") $(head -c 300 <<<"$bad")"
        fi
    else
        local p
        for p in /healthz /readyz /metrics; do skip "admin GET $p" admin "server has no --admin yet"; done
    fi
}

# stop_server: SIGTERM with a connection still open: the server must close it, remove its socket file and
# exit 0 within the drain timeout (docker stop would SIGKILL only after 30 s).
stop_server() {
    exec 4<>"/dev/tcp/127.0.0.1/$TCP"
    printf 'still here\n' >&4 && read -r -t 5 _ <&4
    local t0 elapsed_ms code
    t0=$(date +%s%N)
    docker stop -t 30 "$C" >/dev/null
    elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
    exec 4<&- 4>&-
    code=$(docker inspect -f '{{.State.ExitCode}} oom={{.State.OOMKilled}}' "$C")
    if [[ $code == "0 oom=false" ]] && ((elapsed_ms < (DRAIN_TIMEOUT_S + 2) * 1000)); then
        pass "docker stop (SIGTERM): exit 0 in ${elapsed_ms} ms (< drain timeout ${DRAIN_TIMEOUT_S} s + 2 s)"
    else
        fail "docker stop (SIGTERM): exit 0 within the drain timeout" "exit $code after ${elapsed_ms} ms"
    fi
    docker logs "$C" >"$W/server.log" 2>&1
    if grep -qiE 'closed|stopped|shut ?down|drain' "$W/server.log" \
        && ! grep -qE '\bERROR\b|Exception|did not close|[Kk]illed' "$W/server.log"; then
        pass "container log shows a clean shutdown: $(grep -iE 'closed|stopped|shut ?down|drain' "$W/server.log" | tail -1 | cut -c1-140)"
    else
        fail "container log shows a clean shutdown" "$(tail -8 "$W/server.log" | tr '\n' ' ')"
    fi
    check "server removed its socket file on shutdown" test ! -e "$SOCK_DIR/echoack.sock"
    log "server log:"; sed 's/^/    /' "$W/server.log"
}
