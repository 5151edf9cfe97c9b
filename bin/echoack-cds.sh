# shellcheck shell=sh
# Class data sharing (CDS) for the echoack launchers; sourced by bin/echoack and bin/echoack-server (not a
# command of its own). A short JVM run spends most of its time loading and linking classes; a CDS archive
# holds them parsed and verified, ready to map (numbers: README.md, "Performance").
#
# JDK 17 has no -XX:+AutoCreateSharedArchive (JDK 19+), so this file does the same job:
# - A jar's archive lives in ECHOACK_CDS_DIR (default: ${XDG_CACHE_HOME:-$HOME/.cache}/echoack), named after
#   the jar's path and a key of what the JVM checks an archive against: the jar's size and mtime, the JDK's
#   lib/modules, the launcher itself, JAVA_OPTS and ECHOACK_JAVA_OPTS. A rebuilt jar, another JDK or other
#   options never meet a stale archive: they get their own, and it replaces the old one of that jar.
# - A run that finds no archive runs its command as always, and if the directory is writable starts a training
#   in the background (detached, output discarded, one at a time): the launcher runs once with
#   -XX:DumpLoadedClassList (the client runs its jar's training class, io.echoack.client.cli.CdsTraining: one
#   message acknowledged by a listener of its own, one refused; the server starts on ephemeral ports, serves one
#   message on each listener when bin/echoack is next to its launcher, and stops),
#   once with -Xshare:dump to archive the classes listed, and once with -Xshare:on to prove that the archive maps;
#   only then is it moved into place (atomically). A failed training is retried after 10 minutes (at once by
#   create, which also waits for a training under way).
#   The archive is a static one (the JDK's classes and the jar's, about 20 MB): unlike a JDK 17 dynamic archive
#   (-XX:ArchiveClassesAtExit) it takes picocli's Java 5 class files, and it needs no base archive in the JDK.
# - Netty's native transport libraries are kept beside the archive (ARCHIVE.native/, copied out of the jar by
#   io.echoack.cli.NativeLibraryExport when the archive is made), and a run that maps the archive puts that
#   directory on java.library.path, where Netty looks first: otherwise every run writes the library to a
#   temporary file, names it with SecureRandom (setting up the JDK's security providers) and deletes it.
#   -Djava.library.path in JAVA_OPTS comes later and wins.
# - The JVM's own CDS messages are off (-Xlog:cds*=off): nothing about archives reaches stdout or stderr.
# ECHOACK_CDS: auto (the default, as above), off (no archive), or create (make the archive now, in the
# foreground, then exit without running a command: for image builds). list:, train:, dump: and check: are the
# training's own (train: sets cds_training, for bin/echoack to run its training class instead of a command).

# shellcheck disable=SC2034 # cds_flags and cds_training are the launcher's
# echoack_cds NAME JAR LAUNCHER: sets cds_flags, the JVM flags that use NAME's archive ("" when there is none).
echoack_cds() {
    cds_flags=
    cds_training=
    cds_mode=${ECHOACK_CDS:-auto}
    case $cds_mode in
        off) return 0 ;;
        list:?*) cds_flags="-XX:DumpLoadedClassList=${cds_mode#list:}"; return 0 ;;
        train:?*) cds_flags="-XX:DumpLoadedClassList=${cds_mode#train:}"; cds_training=yes; return 0 ;;
        dump:?*) cds_flags="-Xshare:dump -XX:SharedClassListFile=${cds_mode#dump:}/classes.lst \
                  -XX:SharedArchiveFile=${cds_mode#dump:}/archive.jsa -Xlog:cds*=off"; return 0 ;;
        check:?*) cds_flags="-Xshare:on -XX:SharedArchiveFile=${cds_mode#check:} -Xlog:cds*=off"; return 0 ;;
        auto|create) ;;
        *) echo "$1: ECHOACK_CDS='$cds_mode' is not one of auto, off, create" >&2; exit 2 ;;
    esac
    cds_dir=${ECHOACK_CDS_DIR:-${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}}
    [ -n "$cds_dir" ] || { _echoack_cds_skip "$1" "no directory (set ECHOACK_CDS_DIR)"; return 0; }
    [ -n "${ECHOACK_CDS_DIR:-}" ] || cds_dir=$cds_dir/echoack
    case $cds_dir in
        *[!A-Za-z0-9._/+@%=,:~-]*)
            # the flags carry the path word-split, as JAVA_OPTS: a space or a wildcard would break them
            _echoack_cds_skip "$1" "'$cds_dir' has characters the JVM's flags cannot carry (set ECHOACK_CDS_DIR)"
            return 0 ;;
    esac
    if ! cds_java=$(command -v "$JAVA" 2>/dev/null) || ! cds_java=$(readlink -f "$cds_java") \
        || ! cds_stat=$(stat -L -c '%n %s %Y' "$2" "$3" "${cds_java%/bin/*}/lib/modules" 2>/dev/null); then
        _echoack_cds_skip "$1" "cannot read the jar, the launcher or the JDK's lib/modules"
        return 0
    fi
    cds_name=$(printf '%s' "$2" | cksum) && cds_key=$(printf '%s\n' "$cds_stat" "${JAVA_OPTS:-}" \
        "${ECHOACK_JAVA_OPTS:-}" | cksum) || return 0
    cds_base=$cds_dir/$1-${cds_name%% *}
    cds_archive=$cds_base-${cds_key%% *}.jsa
    if [ -f "$cds_archive" ]; then
        if [ "$cds_mode" = create ]; then exit 0; fi
        cds_flags="-XX:SharedArchiveFile=$cds_archive -Xlog:cds*=off"
        if [ -d "${cds_archive%.jsa}.native" ]; then
            cds_flags="$cds_flags -Djava.library.path=${cds_archive%.jsa}.native"
        fi
        return 0
    fi
    if ! mkdir -p "$cds_dir" 2>/dev/null || [ ! -w "$cds_dir" ]; then
        _echoack_cds_skip "$1" "$cds_dir is not writable"
        return 0
    fi
    if [ "$cds_mode" = create ]; then
        # a training under way (the lock without a failed mark) is waited for, up to 2 minutes
        tries=0
        while [ -d "$cds_archive.lock" ] && [ ! -f "$cds_archive.lock/failed" ] && [ ! -f "$cds_archive" ] \
            && [ "$tries" -lt 1200 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
        if [ -f "$cds_archive" ]; then exit 0; fi
        if _echoack_cds_train "$1" "$2" "$3" && [ -f "$cds_archive" ]; then exit 0; fi
        echo "$1: could not create a class data sharing archive in $cds_dir" >&2
        exit 1
    fi
    (_echoack_cds_train "$1" "$2" "$3") </dev/null >/dev/null 2>&1 &
}

# create mode says why it makes nothing; auto stays silent
_echoack_cds_skip() {
    if [ "$cds_mode" = create ]; then
        echo "$1: no class data sharing archive: $2" >&2
        exit 1
    fi
}

# _echoack_cds_train NAME JAR LAUNCHER: writes $cds_archive (see above); one training per archive at a time
_echoack_cds_train() {
    set +e # a training command that fails is no reason to stop here
    lock=$cds_archive.lock
    if ! mkdir "$lock" 2>/dev/null; then
        # taken: a training under way, or one that failed (lock/failed); create retries at once, auto after
        # 10 minutes (also what is left of a training that was killed)
        if { [ "$cds_mode" = create ] && [ -f "$lock/failed" ]; } \
            || [ -n "$(find "$lock" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then
            rm -rf "$lock"
            mkdir "$lock" 2>/dev/null || return 1
        else
            return 1
        fi
    fi
    tmp=$lock/archive.jsa
    list=$lock/classes.lst
    # the training sees none of the user's ECHOACK_* settings but the JVM's options
    for var in $(env | sed -n 's/^\(ECHOACK_[A-Za-z0-9_]*\)=.*/\1/p'); do
        [ "$var" = ECHOACK_JAVA_OPTS ] || unset "$var"
    done
    case $1 in
        echoack-server)
            work=$(mktemp -d) || return 1
            ECHOACK_JAR=$2 ECHOACK_CDS=list:$list "$3" --drain-timeout 1s \
                --listen "tcp://127.0.0.1:0,udp://127.0.0.1:0,unix://$work/training.sock" >/dev/null 2>"$work/log" &
            server=$!
            tries=0
            while ! grep -q 'listening on unix:' "$work/log" 2>/dev/null && [ "$tries" -lt 300 ] \
                && kill -0 "$server" 2>/dev/null; do
                sleep 0.1
                tries=$((tries + 1))
            done
            # when the client launcher is next to this one (the repository, the image): one message to each
            # listener the log names, so that the archive also holds what a first connection and datagram load
            client=${3%/*}/echoack
            if [ -x "$client" ]; then
                sed -n 's/.*listening on \([a-z]*:\/\/[^ ]*\) .*/\1/p' "$work/log" | while read -r endpoint; do
                    JAVA_OPTS='' ECHOACK_JAVA_OPTS='' ECHOACK_CDS=off "$client" send "$endpoint" training \
                        --timeout 2s </dev/null >/dev/null 2>&1
                done
            fi
            kill -TERM "$server" 2>/dev/null
            wait "$server"
            rm -rf "$work"
            ;;
        *)
            # the launcher runs the jar's training class instead of a command (cds_training): a send to a listener
            # of its own that acknowledges, then one that is refused; the classes of both are listed
            ECHOACK_CLIENT_JAR=$2 ECHOACK_CDS=train:$list "$3" >/dev/null 2>&1
            ;;
    esac
    # the archive of the classes listed, then proof that it maps
    [ -s "$list" ] && ECHOACK_JAR=$2 ECHOACK_CLIENT_JAR=$2 ECHOACK_CDS=dump:$lock "$3" >/dev/null 2>&1
    if [ -s "$tmp" ] && ECHOACK_JAR=$2 ECHOACK_CLIENT_JAR=$2 ECHOACK_CDS=check:$tmp "$3" --version >/dev/null 2>&1; then
        rm -f "$cds_base"-*.jsa
        rm -rf "$cds_base"-*.native
        # Netty's native libraries next to the archive (none: Netty extracts them on every run, as without CDS)
        "$JAVA" -cp "$2" io.echoack.cli.NativeLibraryExport "$2" "$lock/native" >/dev/null 2>&1 \
            && mv -f "$lock/native" "${cds_archive%.jsa}.native"
        mv -f "$tmp" "$cds_archive" && rm -f "$list" && rm -rf "$lock/native" && rmdir "$lock"
        return 0
    fi
    rm -f "$tmp" "$list"
    : >"$lock/failed" # auto tries again after 10 minutes
    return 1
}
