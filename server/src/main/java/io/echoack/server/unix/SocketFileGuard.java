package io.echoack.server.unix;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.server.startup.ServerStartException;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Unix socket path safe to bind, with port-in-use semantics: a path held by a live server is
 * refused (native transports would otherwise silently unlink it and steal it), a stale socket file left by
 * a dead server is removed, and anything that is not a socket is never touched.
 */
public final class SocketFileGuard {

    private static final Logger log = LoggerFactory.getLogger(SocketFileGuard.class);

    private SocketFileGuard() {
    }

    /**
     * Prepares {@code endpoint}'s path for bind.
     *
     * @param datagramProbe for Unix datagram paths: true when something answers a connect to the path (the
     *                      JDK cannot open Unix datagram sockets, so the transport provides the probe)
     * @throws ServerStartException naming the endpoint when the path cannot or must not be used
     */
    public static void prepare(Endpoint endpoint, Predicate<Path> datagramProbe) throws ServerStartException {
        Path path = endpoint.path();
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ServerStartException(endpoint, "directory " + parent + " does not exist");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException absent) {
            return; // nothing there: free to bind
        }
        if (!attrs.isOther()) {
            throw new ServerStartException(endpoint, path + " exists and is not a socket; refusing to replace it");
        }
        boolean live = endpoint.kind() == EndpointKind.UNIXGRAM ? datagramProbe.test(path) : streamIsLive(path);
        if (live) {
            throw new ServerStartException(endpoint, "another server is listening on " + path);
        }
        try {
            Files.deleteIfExists(path);
            log.info("removed stale socket file {} (no server behind it)", path);
        } catch (IOException e) {
            throw new ServerStartException(endpoint, "cannot remove stale socket file " + path + ": " + e, e);
        }
    }

    private static boolean streamIsLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (ConnectException refused) {
            return false; // ECONNREFUSED: a socket file with no listener
        } catch (IOException other) {
            // e.g. a datagram socket at a unix:// path (EPROTOTYPE): something is bound there and alive
            return !String.valueOf(other.getMessage()).contains("No such file");
        }
    }

    /**
     * Gives a just-bound socket file its configured group (when one is set) and then its permissions: who
     * may connect. The group comes first, so that the file is never writable by a group it was not meant
     * for. On failure the listener is closed and the start fails: a socket more open than configured, or
     * closed to the group that is meant to use it, must not stay up.
     */
    public static void restrictAccess(Channel listener, Endpoint endpoint, Set<PosixFilePermission> mode,
                                      Optional<GroupPrincipal> group) throws ServerStartException {
        Path path = endpoint.path();
        if (group.isPresent()) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (view == null) {
                    throw new UnsupportedOperationException("no POSIX file attributes on this file system");
                }
                view.setGroup(group.get());
            } catch (IOException | UnsupportedOperationException e) {
                fail(listener, endpoint, "cannot give socket file " + path + " to group '" + group.get().getName()
                        + "': " + reason(e) + " (the server must run as root or as a member of that group)", e);
            }
        }
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (IOException | UnsupportedOperationException e) {
            fail(listener, endpoint, "cannot set the socket file's mode: " + e, e);
        }
    }

    private static void fail(Channel listener, Endpoint endpoint, String reason, Exception cause)
            throws ServerStartException {
        listener.close().awaitUninterruptibly();
        remove(endpoint.path());
        throw new ServerStartException(endpoint, reason, cause);
    }

    /** The OS's reason ({@code Operation not permitted}) rather than the exception's class and path. */
    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** Removes the socket file of a listener that has closed; failures are logged, not thrown. */
    public static void remove(Path path) {
        try {
            if (Files.deleteIfExists(path)) {
                log.debug("removed socket file {}", path);
            }
        } catch (IOException e) {
            log.warn("could not remove socket file {}: {}", path, e.toString());
        }
    }
}
