# shellcheck shell=bash
# The server as the Kubernetes manifest runs it: read-only root, only /tmp and /run/echoack writable, no
# capabilities, no privilege escalation, a memory limit; with --reuse-port a second server process in the
# same network namespace sharing port 51717; then the drain on SIGTERM with a client that never reads.
# Needs: W, IMAGE, NAME, HAS_*, compat (run.sh).

run_hardened() {
    local h=$NAME-hardened hard_drain_s=3 t status i
    local hard_env=(-e ECHOACK_PRINT_MESSAGES=true -e "ECHOACK_DRAIN_TIMEOUT=${hard_drain_s}s") hard_args=()
    if ((HAS_ENV == 0)); then hard_args=("${compat[@]}" --print-messages); fi
    if ((HAS_REUSE == 1)); then
        hard_env+=(-e ECHOACK_REUSE_PORT=true)
        ((HAS_ENV == 0)) && hard_args+=(--reuse-port)
    fi
    t=$SECONDS
    docker run -d --name "$h" --read-only --tmpfs /tmp:exec --tmpfs /run/echoack:uid=10001,gid=10001,mode=0755 \
        --cap-drop ALL --security-opt no-new-privileges --memory 512m --health-interval 1s \
        -p 127.0.0.1::51717/tcp -p 127.0.0.1::9090/tcp "${hard_env[@]}" "$IMAGE" ${hard_args[@]+"${hard_args[@]}"} >/dev/null
    for ((i = 0; i < 480; i++)); do
        status=$(docker inspect -f '{{.State.Status}}/{{.State.Health.Status}}' "$h" 2>/dev/null)
        [[ $status == running/healthy || $status == exited/* ]] && break
        sleep 0.25
    done
    log "hardened run: $status after $((SECONDS - t)) s; health probes: $(docker inspect -f \
        '{{range .State.Health.Log}}[{{.Start.Format "15:04:05.0"}}-{{.End.Format "05.0"}} exit {{.ExitCode}}] {{end}}' "$h")"
    local htcp; htcp=$(docker port "$h" 51717/tcp | head -1 | sed 's/.*://')
    if [[ $status == running/healthy ]] \
        && [[ $(client send "tcp://127.0.0.1:$htcp" hello --timeout 10s 2>&1) == "I got your message" ]]; then
        pass "hardened run (read-only root, cap-drop ALL, no-new-privileges, 512m) healthy and serving"
    else
        fail "hardened run (read-only root, cap-drop ALL, no-new-privileges, 512m)" "$status $(docker logs "$h" 2>&1 | tail -5 | tr '\n' ' ')"
    fi
    check "hardened run: native transport (epoll; /tmp mounted exec for Netty's native library)" \
        logs_have "$h" 'transport epoll'
    if ((HAS_REUSE == 1)); then
        check_reuse_port "$h" "$htcp"
    else
        skip "--reuse-port: two server processes share port 51717" reuse-port "server has no --reuse-port yet"
    fi
    if ((HAS_DRAIN == 1 && HAS_ADMIN == 1)); then
        check_drain "$h" "$hard_drain_s"
    else
        skip "drain: /readyz 503 and ECHOACK_DRAIN_TIMEOUT honoured" drain "server has no --drain-timeout or --admin yet"
        docker stop -t 20 "$h" >/dev/null 2>&1
        expect "hardened run exits 0 on docker stop" "0" docker inspect -f '{{.State.ExitCode}}' "$h"
    fi
}

# check_reuse_port CONTAINER TCP-PORT: a second process, same image, joined to the first one's network namespace,
# also SO_REUSEPORT. It has its own /run/echoack (volume) and no admin port (that one is taken by the first).
check_reuse_port() {
    local h=$1 htcp=$2 h2=$NAME-reuse reuse_args=() i n a b
    ((HAS_ENV == 0)) && reuse_args=(--listen tcp://0.0.0.0:51717 --print-messages --reuse-port)
    docker run -d --name "$h2" --network "container:$h" --read-only --tmpfs /tmp:exec --cap-drop ALL \
        -e ECHOACK_LISTEN=tcp://0.0.0.0:51717 -e ECHOACK_ADMIN= -e ECHOACK_REUSE_PORT=true \
        -e ECHOACK_PRINT_MESSAGES=true "$IMAGE" ${reuse_args[@]+"${reuse_args[@]}"} >/dev/null
    for ((i = 0; i < 120; i++)); do
        logs_have "$h2" 'listening on tcp' && break
        [[ $(docker inspect -f '{{.State.Status}}' "$h2") == exited ]] && break
        sleep 0.25
    done
    # 40 connections through docker-proxy, each from a new source port: the kernel spreads them.
    for ((n = 0; n < 40; n++)); do
        exec 3<>"/dev/tcp/127.0.0.1/$htcp" && printf 'reuse-%d\n' "$n" >&3 && read -r -t 5 _ <&3
        exec 3<&- 3>&-
    done
    a=$(docker logs "$h" 2>/dev/null | grep -c 'reuse-'); b=$(docker logs "$h2" 2>/dev/null | grep -c 'reuse-')
    if ((a > 0 && b > 0 && a + b == 40)); then
        pass "--reuse-port: two server processes share port 51717 ($a + $b of 40 connections)"
    else
        fail "--reuse-port: two server processes share port 51717" "$a + $b of 40; $(docker logs "$h2" 2>&1 | tail -3 | tr '\n' ' ')"
    fi
    docker stop -t 20 "$h2" >/dev/null
}

# check_drain CONTAINER DRAIN-SECONDS: a client inside the container sends without ever reading, so the server
# holds replies it cannot deliver. SIGTERM (what docker stop and Kubernetes send) must turn /readyz to 503,
# and within ECHOACK_DRAIN_TIMEOUT (3 s here, so well before docker's 10 s) close that connection and exit 0.
check_drain() {
    local h=$1 drain_s=$2 hadmin t0 ready='' i elapsed_ms code
    hadmin=$(docker port "$h" 9090/tcp | head -1 | sed 's/.*://')
    docker exec -d "$h" bash -c 'exec 3<>/dev/tcp/127.0.0.1/51717; yes stuck-client >&3'
    sleep 1.5
    t0=$(date +%s%N)
    docker kill -s TERM "$h" >/dev/null
    for ((i = 0; i < 100; i++)); do
        ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$hadmin/readyz")
        [[ $ready == 503 ]] && break
        sleep 0.05
    done
    timed 30 docker wait "$h" >/dev/null
    elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
    if [[ $ready == 503 ]]; then pass "drain: GET /readyz = 503 after SIGTERM"
    else fail "drain: GET /readyz = 503 after SIGTERM" "last answer: ${ready:-none}"; fi
    code=$(docker inspect -f '{{.State.ExitCode}}' "$h")
    if [[ $code == 0 ]] && ((elapsed_ms < (drain_s + 3) * 1000)) \
        && logs_have "$h" "draining.* ${drain_s}s"; then
        pass "drain: ECHOACK_DRAIN_TIMEOUT=${drain_s}s honoured with a client that never reads: exit 0 after ${elapsed_ms} ms"
    else
        fail "drain: ECHOACK_DRAIN_TIMEOUT=${drain_s}s honoured, exit 0" \
            "exit $code after ${elapsed_ms} ms; $(docker logs "$h" 2>&1 | grep -v 'Here is the message' | tail -4 | tr '\n' ' ')"
    fi
}
