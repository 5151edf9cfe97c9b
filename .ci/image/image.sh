# shellcheck shell=bash
# The image as docker/Dockerfile builds it: the build, its context (.dockerignore), its layers, and what
# `docker image inspect` and a plain `docker run` show (user, ports, volume, signal, health check, JVM flags).
# Needs: W, ROOT, IMAGE, BASE_IMAGE, NAME, SERVER_IMAGE_DIR, CLIENT_IMAGE_DIR.

build_image() {
    log "docker build --build-arg BASE_IMAGE=$BASE_IMAGE -f docker/Dockerfile -t $IMAGE ."
    local t=$SECONDS ctx expected_mb out
    if ! docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" -f docker/Dockerfile -t "$IMAGE" . >"$W/build.log" 2>&1; then
        cat "$W/build.log"
        fatal "docker build -f docker/Dockerfile" "see the build log above"
    fi
    ctx=$(grep -o 'Sending build context to Docker daemon *[0-9.]*[kMG]*B' "$W/build.log" | awk '{print $NF}')
    pass "docker build ($((SECONDS - t)) s, build context ${ctx:-?})"
    # .dockerignore: the context is what `mvn package` lays out for the image (target/image/ of server and
    # client: the jars) and the launchers, nothing else: within 1 MB of what those files weigh.
    expected_mb=$(du -cb "$SERVER_IMAGE_DIR" "$CLIENT_IMAGE_DIR" "$ROOT/bin/echoack-server" "$ROOT/bin/echoack" \
        | awk 'END { printf "%.2f", $1 / 1e6 }')
    case $ctx in *kB|*[0-9]B) pass ".dockerignore keeps the context small ($ctx)" ;;
        *MB) if awk -v c="${ctx%MB}" -v e="$expected_mb" 'BEGIN { exit !(c < e + 1) }'; then
                 pass ".dockerignore keeps the context to the jars and launchers ($ctx; they weigh $expected_mb MB)"
             else fail ".dockerignore keeps the context small" "context is $ctx, the jars and launchers weigh $expected_mb MB"; fi ;;
        *) fail ".dockerignore keeps the context small" "context is ${ctx:-unknown}" ;;
    esac
    # The layers (docker save, read by layers.py): the third-party jars in a layer of their own, each once,
    # below the one echoack's own code is in, which stays under 1 MB: what a code change ships.
    if out=$(docker save "$IMAGE" | python3 "$ROOT/.ci/image/layers.py" --max-code-bytes 1000000 2>&1); then
        pass "image layers: $out"
    else
        fail "image layers: dependencies below echoack's code, the code layer under 1 MB" "$(tr '\n' ' ' <<<"$out")"
    fi
}

inspect() { docker image inspect -f "$1" "$IMAGE"; }
inspect_image() {
    expect "image runs as user 10001:10001" "10001:10001" inspect '{{.Config.User}}'
    expect "image exposes 51717/tcp 51717/udp 9090/tcp" "51717/tcp 51717/udp 9090/tcp" \
        bash -c "docker image inspect -f '{{range \$p, \$_ := .Config.ExposedPorts}}{{\$p}} {{end}}' $IMAGE | xargs -n1 | sort | xargs"
    expect "image volume /run/echoack" "/run/echoack" \
        bash -c "docker image inspect -f '{{range \$v, \$_ := .Config.Volumes}}{{\$v}}{{end}}' $IMAGE"
    expect "image stop signal SIGTERM" "SIGTERM" inspect '{{.Config.StopSignal}}'
    expect "image entrypoint" "[echoack-server]" inspect '{{.Config.Entrypoint}}'
    check "image HEALTHCHECK runs echoack check" bash -c "docker image inspect -f '{{.Config.Healthcheck.Test}}' $IMAGE | grep -q 'echoack check'"
    check "image env ECHOACK_LISTEN, ECHOACK_ADMIN" bash -c "docker image inspect -f '{{.Config.Env}}' $IMAGE \
        | grep -q 'ECHOACK_LISTEN=tcp://0.0.0.0:51717,udp://0.0.0.0:51717,unix:///run/echoack/echoack.sock' \
        && docker image inspect -f '{{.Config.Env}}' $IMAGE | grep -q 'ECHOACK_ADMIN=http://0.0.0.0:9090'"
    # The launchers' JVM flags, JAVA_OPTS/ECHOACK_JAVA_OPTS honoured, heap sized from the container limit.
    local flags
    flags=$(docker run --rm --name "$NAME-flags" --memory 256m -e JAVA_OPTS=-XX:+PrintCommandLineFlags \
        -e ECHOACK_JAVA_OPTS=-XX:InitialRAMPercentage=10 "$IMAGE" --version 2>&1)
    if grep -q 'MaxRAMPercentage=50' <<<"$flags" && grep -q 'ExitOnOutOfMemoryError' <<<"$flags" \
        && grep -q 'InitialRAMPercentage=10' <<<"$flags" && grep -qE 'MaxHeapSize=13[0-9]{7}\b' <<<"$flags"; then
        pass "server launcher: container JVM flags, JAVA_OPTS and ECHOACK_JAVA_OPTS (overriding) honoured, heap = 50% of --memory 256m"
    else
        fail "server launcher: container JVM flags" "$(tr '\n' ' ' <<<"$flags")"
    fi
    expect "image's default user is uid 10001 (not root)" "10001" \
        docker run --rm --name "$NAME-id" --entrypoint id "$IMAGE" -u
}
