# shellcheck shell=bash
# The private Docker engine: a dockerd of its own (data-root, exec-root, socket and pidfile under $W), so
# that nothing of the machine's Docker, if any, is used or touched.
# Needs: W. Sets: DOCKERD_PID, DOCKER_HOST (and the legacy builder for docker and docker-compose).

start_engine() {
    log "starting dockerd ($("$(command -v dockerd)" --version))"
    mkdir -p "$W/data" "$W/exec"
    dockerd --data-root "$W/data" --exec-root "$W/exec" -H "unix://$W/docker.sock" --pidfile "$W/dockerd.pid" \
        >"$W/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    export DOCKER_HOST=unix://$W/docker.sock DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
    local i
    for ((i = 0; i < 120; i++)); do
        docker info >/dev/null 2>&1 && break
        kill -0 "$DOCKERD_PID" 2>/dev/null || fatal "start dockerd" "$(tail -5 "$W/dockerd.log" | tr '\n' ' ')"
        sleep 0.25
    done
    docker info >/dev/null 2>&1 || fatal "start dockerd" "no answer within 30 s: $(tail -5 "$W/dockerd.log" | tr '\n' ' ')"
    pass "private dockerd answers ($(docker info -f '{{.ServerVersion}}, {{.Driver}}' 2>/dev/null))"
}

# stop_engine: SIGTERM, up to 15 s for it to go, then SIGKILL (called by cleanup, after the containers went)
stop_engine() {
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    local i; for ((i = 0; i < 150; i++)); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID" 2>/dev/null
}
