# shellcheck shell=bash
# The host's tools: Debian packages installed when missing, the docker client, the jars (built when
# missing), the JDK whose jlink makes the stand-in base, and the bundled client run on the host.
# Needs: W, ROOT, SERVER_JAR, CLIENT_JAR, SERVER_IMAGE_DIR, CLIENT_IMAGE_DIR. Sets: DOCKER_BIN, JDK_HOME.

# timed SECONDS COMMAND...: the command, killed after SECONDS; returns its status
timed() { local secs=$1; shift; timeout --kill-after=5 "$secs" "$@"; }

# docker: the client install_tools picks (DOCKER_BIN), also in the checks that run in bash -c
docker() { "$DOCKER_BIN" "$@"; }
export -f docker
# logs_have CONTAINER REGEX: the container's output (stdout and stderr) has a matching line. (Not
# `docker logs | grep -q`: with pipefail, grep's early exit would fail the pipeline.)
logs_have() { docker logs "$1" >"$W/logs.tmp" 2>&1; grep -qE "$2" "$W/logs.tmp"; }
# the client on the host, tuned for a short-lived JVM as the image's launcher is
client() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -jar "$CLIENT_JAR" "$@"; }

install_tools() {
    local need=()
    command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
    command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
    command -v curl >/dev/null 2>&1 || need+=(curl)
    command -v ss >/dev/null 2>&1 || need+=(iproute2)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    if ((${#need[@]} > 0)); then
        log "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$W/apt.log" 2>&1 \
            || fatal "install ${need[*]}" "$(tail -5 "$W/apt.log" | tr '\n' ' ')"
    fi
    # The engine's own client (20.10) matches the daemon; a newer `docker` on PATH would also do.
    if [[ -x /usr/bin/docker ]]; then DOCKER_BIN=/usr/bin/docker; else DOCKER_BIN=$(command -v docker); fi
    export DOCKER_BIN
    # The shaded jars (run on the host) and target/image/ (the image's layers; see docker/Dockerfile)
    if [[ ! -f $SERVER_JAR || ! -f $CLIENT_JAR || ! -d $SERVER_IMAGE_DIR/app || ! -d $CLIENT_IMAGE_DIR/app ]]; then
        log "building the jars (mvn -q package -DskipTests)"
        mvn -q package -DskipTests >"$W/mvn.log" 2>&1 || fatal "build jars" "$(tail -20 "$W/mvn.log" | tr '\n' ' ')"
    fi
    local java_bin; java_bin=$(readlink -f "$(command -v java)")
    JDK_HOME=${JAVA_HOME:-$(dirname "$(dirname "$java_bin")")}
    [[ -x $JDK_HOME/bin/jlink ]] || JDK_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
}
