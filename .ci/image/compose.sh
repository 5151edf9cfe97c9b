# shellcheck shell=bash
# docker/compose.yaml as a user runs it: `docker-compose up --build --exit-code-from client` builds the
# image, starts the server, and once its health check passes, the client service checks it by service name.
# Needs: W, BASE_IMAGE, NAME, HAS_ENV, compat (run.sh). Writes $W/compose.env (cleanup.sh takes the project
# down with it).

# free_port [NOT]: a port no TCP or UDP socket on the host uses, below the ephemeral range (where Docker's
# own -p 127.0.0.1:: ports and outgoing connections take theirs), and not NOT
free_port() {
    local p low; low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    ((low > 22000)) || low=32768
    for ((p = 20000 + RANDOM % (low - 21000); p < low; p++)); do
        [[ $p == "${1:-}" ]] && continue
        ss -Htuan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
    done
    echo 0
}

run_compose() {
    local echoack_port t sid
    echoack_port=$(free_port)
    cat >"$W/compose.env" <<EOF_ENV
BASE_IMAGE=$BASE_IMAGE
ECHOACK_IMAGE=$NAME-compose:latest
ECHOACK_PORT=$echoack_port
ECHOACK_ADMIN_PORT=$(free_port "$echoack_port")
EOF_ENV
    compose_files=(-f docker/compose.yaml)
    if ((HAS_ENV == 0)); then
        # Until the server reads ECHOACK_* variables, the compose configuration goes in as flags.
        printf 'services:\n  server:\n    command: [%s]\n' "$(printf '"%s", ' "${compat[@]}" | sed 's/, $//')" \
            >"$W/compose.flags.yaml"
        compose_files+=(-f "$W/compose.flags.yaml")
        skip "docker-compose configuration by environment alone" env "server flags added by an override file"
    fi
    compose() { docker-compose --env-file "$W/compose.env" "${compose_files[@]}" -p "$NAME" "$@"; }
    check "docker-compose config (docker/compose.yaml)" compose config -q
    t=$SECONDS
    if timed 300 docker-compose --env-file "$W/compose.env" "${compose_files[@]}" -p "$NAME" \
        up --build --no-color --exit-code-from client >"$W/compose.log" 2>&1; then
        pass "docker-compose up --build --exit-code-from client: healthy server, client checks by service name ($((SECONDS - t)) s)"
    else
        fail "docker-compose up --build --exit-code-from client" "$(tail -15 "$W/compose.log" | tr '\n' ' ')"
    fi
    check "compose client: TCP, UDP and shared-volume Unix checks, send" \
        grep -q 'client_1 *| I got your message' "$W/compose.log"
    sid=$(compose ps -q server 2>/dev/null)
    expect "compose server stopped (SIGTERM) with exit 0" "0" docker inspect -f '{{.State.ExitCode}}' "$sid"
    log "compose log:"; sed 's/^/    /' "$W/compose.log" | tail -40
    compose down -v -t 15 >/dev/null 2>&1
}
