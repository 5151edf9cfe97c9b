package io.echoack.client.cli;

import io.echoack.client.net.Connection;
import io.echoack.client.net.ConnectionClosedException;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.client.net.ReplyTimeoutException;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code echoack check --idle D}: does a path keep an idle connection? One probe, then silence for D on the same
 * connection, then a second probe. Balancers and NATs drop flows idle for longer than their own timeout (an AWS
 * NLB after 350 s), usually without telling either end, so the client only learns at its next message; this
 * finds out in advance, and says where the connection died: closed (FIN) or reset (RST) by the peer while idle,
 * noticed as it happens, or at the second probe, or no reply to the second probe (the silent drop). On datagram
 * endpoints the two probes go from the same local port, D apart.
 */
final class IdleCheck {

    /**
     * Whether a probe's reply is the expected one.
     */
    @FunctionalInterface
    interface ReplyJudge {
        /** Null when {@code reply} to {@code probe} is healthy, else why not (one sentence naming the endpoint). */
        String wrongReply(byte[] probe, byte[] reply);
    }

    /** What the check found: the exit code and the line that says it (for {@code -v}). */
    record Result(int exitCode, String message) {
        boolean ok() {
            return exitCode == ExitCodes.OK;
        }
    }

    /** When and why the connection closed, timed on the I/O thread that saw it. */
    private record Closure(EchoAckClientException why, long nanoTime) {
    }

    private final Endpoint endpoint;
    private final Duration idle;
    private final Duration timeout;
    private final Function<Throwable, String> describe;

    /**
     * @param timeout  the reply timeout of each probe (for messages)
     * @param describe a failure of the client library in the command line's words ({@link Failures#message})
     */
    IdleCheck(Endpoint endpoint, Duration idle, Duration timeout, Function<Throwable, String> describe) {
        this.endpoint = endpoint;
        this.idle = idle;
        this.timeout = timeout;
        this.describe = describe;
    }

    /**
     * Connects with a client from {@code builder}, sends {@code first}, waits {@link #idle} (or until the connection
     * closes), sends {@code second} on the same connection, and closes.
     *
     * @param started told once, when the first reply arrived and the wait begins: a line saying so
     * @throws EchoAckClientException   when the connection cannot be made
     * @throws IllegalArgumentException as {@link EchoAckClient#connect} throws it
     */
    Result run(EchoAckClient.Builder builder, byte[] first, byte[] second, ReplyJudge judge,
               Consumer<String> started) {
        try (EchoAckClient client = builder.build();
             Connection connection = client.connect(endpoint)) {
            CompletableFuture<Closure> closed = connection.closed().thenApply(why -> new Closure(why, System.nanoTime()));
            long sent = System.nanoTime();
            byte[] reply;
            try {
                reply = connection.send(first);
            } catch (EchoAckClientException e) {
                return new Result(ExitCodes.of(e.kind()), "first probe: " + describe.apply(e));
            }
            long quietFrom = System.nanoTime();
            String wrong = judge.wrongReply(first, reply);
            if (wrong != null) {
                return new Result(ExitCodes.WRONG_REPLY, "first probe: " + wrong);
            }
            double firstMillis = (quietFrom - sent) / 1e6;
            started.accept(String.format(Locale.ROOT, "%s answered the first probe in %.1f ms; idle for %s on the same "
                    + "%s", endpoint.address(), firstMillis, Durations.format(idle),
                    endpoint.kind().isStream() ? "connection" : "socket"));
            Closure whileIdle = awaitClose(closed, idle);
            if (whileIdle != null) {
                return closedWhileIdle(whileIdle.why(), whileIdle.nanoTime() - quietFrom);
            }
            long secondSent = System.nanoTime();
            try {
                reply = connection.send(second);
            } catch (EchoAckClientException e) {
                Closure before = closed.getNow(null);
                if (before != null && before.nanoTime() <= secondSent) { // closed between the wait and the send
                    return closedWhileIdle(before.why(), before.nanoTime() - quietFrom);
                }
                return secondProbeFailed(e, secondSent - quietFrom);
            }
            double secondMillis = (System.nanoTime() - secondSent) / 1e6;
            wrong = judge.wrongReply(second, reply);
            if (wrong != null) {
                return new Result(ExitCodes.WRONG_REPLY, "second probe, after " + seconds(secondSent - quietFrom)
                        + " idle: " + wrong);
            }
            return new Result(ExitCodes.OK, survived(firstMillis, secondMillis));
        }
    }

    /** The closure, if the connection closed within {@code idle}; else null. */
    private static Closure awaitClose(CompletableFuture<Closure> closed, Duration idle) {
        try {
            return closed.get(idle.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the close future never fails", e.getCause());
        }
    }

    private String survived(double firstMillis, double secondMillis) {
        String what = endpoint.kind().isStream()
                ? "the connection to " + endpoint.address() + " survived " + Durations.format(idle) + " idle"
                : endpoint.address() + " answered a second probe from the same local port " + Durations.format(idle)
                        + " after the first";
        return String.format(Locale.ROOT, "%s (replies in %.1f ms and %.1f ms)", what, firstMillis, secondMillis);
    }

    /**
     * The connection closed {@code afterNanos} after the first reply, during the wait (or just before the second
     * probe went out).
     */
    Result closedWhileIdle(EchoAckClientException why, long afterNanos) {
        String when = " after " + seconds(afterNanos) + " idle, before the second probe (--idle "
                + Durations.format(idle) + ")";
        if (why instanceof ConnectionClosedException closed && closed.isReset()) {
            return new Result(ExitCodes.RESET, "the connection to " + endpoint.address() + " was reset by the peer "
                    + "(RST)" + when);
        }
        if (why instanceof ConnectionClosedException closed && closed.isClosedByServer()) {
            return new Result(ExitCodes.RESET, "the connection to " + endpoint.address() + " was closed by the peer "
                    + "(FIN)" + when);
        }
        return new Result(ExitCodes.of(why.kind()), "the connection to " + endpoint.address() + " ended" + when
                + ": " + describe.apply(why));
    }

    /** The second probe, sent {@code afterNanos} after the first reply, failed with {@code failure}. */
    Result secondProbeFailed(EchoAckClientException failure, long afterNanos) {
        String at = "at the second probe, sent after " + seconds(afterNanos) + " idle";
        if (failure instanceof ReplyTimeoutException timedOut) {
            return new Result(ExitCodes.TIMEOUT, "no reply to the second probe within " + Durations.format(timeout)
                    + " (--timeout" + (timedOut.attempts() > 1 ? ", " + timedOut.attempts() + " attempts" : "")
                    + "), sent to " + endpoint.address() + " after " + seconds(afterNanos) + " idle: "
                    + (endpoint.kind().isStream()
                            ? "the connection was dropped silently, as a balancer or NAT that forgot an idle flow does"
                            : "the reply no longer finds its way back, as when a NAT or balancer forgot the flow"));
        }
        if (failure instanceof ConnectionClosedException closed && closed.isReset()) {
            return new Result(ExitCodes.RESET, "the connection to " + endpoint.address() + " was reset by the peer "
                    + "(RST) " + at + " (the peer no longer knew the connection)");
        }
        if (failure instanceof ConnectionClosedException closed && closed.isClosedByServer()) {
            return new Result(ExitCodes.RESET, "the connection to " + endpoint.address() + " was closed by the peer "
                    + "(FIN) " + at);
        }
        return new Result(ExitCodes.of(failure.kind()), at + ": " + describe.apply(failure));
    }

    /**
     * Nanoseconds as seconds with one decimal, {@code 1.0 s}. A close seen on the I/O thread just before the
     * command's thread took the time of the first reply is 0.0 s, not less.
     */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", Math.max(0, nanos) / 1e9);
    }
}
