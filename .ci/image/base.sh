# shellcheck shell=bash
# A stand-in for eclipse-temurin:17-jre, since no registry is reachable: Debian minbase (debootstrap, the
# rootfs tarball cached in $CACHE_DIR) with a jlink'd JRE of the host's JDK at /opt/java/openjdk, JAVA_HOME
# and PATH set as the Temurin image sets them. docker/Dockerfile gets it as --build-arg BASE_IMAGE.
# Needs: W, JDK_HOME, SERVER_JAR, CLIENT_JAR, BASE_IMAGE, CACHE_DIR, ROOTFS_TAR. Sets: JLINK_PID (while it runs).

build_base() {
    # The modules the jars need (jdeps), plus what the Temurin JRE would offer a Netty service anyway; jlink
    # runs in the background while the rootfs is made.
    (
        mods=$( { "$JDK_HOME/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
                      "$SERVER_JAR" "$CLIENT_JAR" 2>/dev/null
                  echo "java.base,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.net,jdk.management,jdk.jfr,jdk.zipfs"
                } | tr ',' '\n' | grep -E '^[a-z]' | sort -u | paste -sd, -)
        echo "jlink ($("$JDK_HOME/bin/java" -version 2>&1 | head -1)) --add-modules $mods"
        exec "$JDK_HOME/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --output "$W/jre"
    ) >"$W/jlink.log" 2>&1 &
    JLINK_PID=$!
    mkdir -p "$CACHE_DIR"
    if [[ ! -s $ROOTFS_TAR ]]; then
        local mirror
        mirror=${ECHOACK_CI_DEBIAN_MIRROR:-$(grep -hoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list.d/*.sources \
            /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')}
        mirror=${mirror:-http://deb.debian.org/debian}
        log "debootstrap --variant=minbase bookworm (mirror $mirror)"
        if ! timed 600 debootstrap --variant=minbase bookworm "$W/rootfs" "$mirror" >"$W/debootstrap.log" 2>&1; then
            unmount_under_w
            fatal "debootstrap bookworm" "$(tail -5 "$W/debootstrap.log" | tr '\n' ' ')"
        fi
        unmount_under_w
        rm -rf "$W/rootfs/var/cache/apt/archives/"*.deb "$W/rootfs/var/lib/apt/lists/"* "$W/rootfs/tmp/"*
        tar -C "$W/rootfs" --numeric-owner -cf "$ROOTFS_TAR.tmp" . && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
        rm -rf --one-file-system "$W/rootfs"
    else
        log "Debian rootfs from the cache: $ROOTFS_TAR"
    fi
    docker import "$ROOTFS_TAR" "$BASE_IMAGE-rootfs" >"$W/import.log" 2>&1 \
        || fatal "docker import $ROOTFS_TAR" "$(tail -5 "$W/import.log" | tr '\n' ' ')"
    wait "$JLINK_PID" || fatal "jlink" "$(tail -5 "$W/jlink.log" | tr '\n' ' ')"
    JLINK_PID=
    log "$(head -1 "$W/jlink.log")"
    mkdir -p "$W/base" && mv "$W/jre" "$W/base/jre"
    cat >"$W/base/Dockerfile" <<EOF_BASE
FROM $BASE_IMAGE-rootfs
COPY jre /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \\
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LANG=C.UTF-8
CMD ["bash"]
EOF_BASE
    docker build -q -t "$BASE_IMAGE" "$W/base" >"$W/base-build.log" 2>&1 \
        || fatal "build the stand-in base image" "$(tail -5 "$W/base-build.log" | tr '\n' ' ')"
    pass "stand-in base $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
}
