# shellcheck shell=bash
# The run's work directory and its teardown: whatever the run started or made goes, whichever way it ends
# (the containers and compose project named $NAME, the private dockerd, mounts under $W, a docker0 bridge
# the run created, and $W itself unless ECHOACK_CI_KEEP=1).
# Needs: NAME. Sets: W. Reads what the other pieces started: NPM_PID, JLINK_PID, DOCKERD_PID.

W=$(mktemp -d /tmp/echoack-image-test.XXXXXX)
DOCKERD_PID=
HAD_DOCKER0=1; command -v ip >/dev/null 2>&1 && ! ip link show docker0 >/dev/null 2>&1 && HAD_DOCKER0=0
# unmount whatever is still mounted under $W (a netns mount under the exec-root, debootstrap's /proc ...)
unmount_under_w() {
    local m
    for m in $(awk -v w="$W" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [[ -n ${NPM_PID:-} ]] && kill "$NPM_PID" 2>/dev/null
    [[ -n ${JLINK_PID:-} ]] && kill "$JLINK_PID" 2>/dev/null
    if [[ -n $DOCKERD_PID ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
        if [[ -f $W/compose.env ]]; then
            docker-compose --env-file "$W/compose.env" -f docker/compose.yaml -p "$NAME" down -v -t 15 \
                >/dev/null 2>&1 || true
        fi
        if [[ -f $W/fleet.env ]]; then
            docker-compose --env-file "$W/fleet.env" -f docker/compose.yaml -p "$NAME-fleet" --profile bench \
                down -v -t 15 >/dev/null 2>&1 || true
        fi
        local ids; ids=$(docker ps -aq --filter "name=$NAME" 2>/dev/null)
        # shellcheck disable=SC2086 # one argument per id
        [[ -n $ids ]] && docker rm -f -v $ids >/dev/null 2>&1
        stop_engine
    fi
    unmount_under_w
    ((HAD_DOCKER0 == 0)) && ip link delete docker0 2>/dev/null
    if [[ ${ECHOACK_CI_KEEP:-0} == 1 ]]; then
        echo "image-test: kept $W"
    elif awk -v w="$W" 'index($2, w) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        echo "image-test: something is still mounted under $W; not removing it" >&2
    else
        rm -rf --one-file-system "$W"
    fi
    exit "$rc"
}
