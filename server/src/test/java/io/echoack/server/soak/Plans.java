package io.echoack.server.soak;

import io.echoack.common.codec.Framing;
import io.echoack.server.testing.ReplyModel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws a random plan for one connection: a few actions, valid and invalid, then one way to end. Every
 * non-terminal action leaves the stream at a message boundary (so the server's frame timeout never hits a
 * well-behaved connection), and every wait is far below the server's idle timeout. A shadow
 * {@link ReplyModel} follows what was planned, to know where a garbage stream leaves the connection.
 */
final class Plans {

    /** Non-terminal actions. */
    static final String VALID = "valid";
    static final String PIPELINE = "pipelined burst";
    static final String SPLIT = "split into tiny writes";
    static final String OVERSIZE_LINE = "oversized line";
    static final String GARBAGE_LINE = "garbage, line";
    static final String ZERO_LENGTH = "length prefix 0";
    static final String SLOW_READ = "slow reader";
    static final String NO_READ = "sends without reading";
    static final String THINK = "pause";
    /** Terminal actions. */
    static final String CLOSE = "close";
    static final String HALF_CLOSE = "half-close";
    static final String RESET = "reset mid-frame";
    static final String SLOWLORIS = "slowloris";
    static final String SILENT = "connect and stay silent";
    static final String OVERSIZE_LENGTH = "oversized length frame";
    static final String BAD_PREFIX = "length prefix negative or max int";
    static final String GARBAGE_LENGTH = "garbage, length";

    /** Every action, for the summary and to check that each was exercised. */
    static final List<String> ALL = List.of(VALID, PIPELINE, SPLIT, OVERSIZE_LINE, GARBAGE_LINE, ZERO_LENGTH,
            SLOW_READ, NO_READ, THINK, CLOSE, HALF_CLOSE, RESET, SLOWLORIS, SILENT, OVERSIZE_LENGTH, BAD_PREFIX,
            GARBAGE_LENGTH);

    /** Replies may take this long on a loaded 2-core machine running paranoid leak detection. */
    static final long REPLY_TIMEOUT_MILLIS = 30_000;
    /**
     * How much earlier than its timeout the server may seem to close a stalled connection: only timer
     * granularity, since the client measures from before its last write (or its connect), never after.
     */
    static final long TIMER_SLACK_MILLIS = 100;
    /** How much later than its timeout the server may close a stalled connection. */
    static final long CLOSE_SLACK_MILLIS = 15_000;

    private final int max;
    private final long idleMillis;
    private final long frameMillis;
    private final String ackText;

    Plans(int max, long idleMillis, long frameMillis, String ackText) {
        if (frameMillis >= idleMillis) {
            throw new IllegalArgumentException("the frame timeout must be the shorter one");
        }
        this.max = max;
        this.idleMillis = idleMillis;
        this.frameMillis = frameMillis;
        this.ackText = ackText;
    }

    /** A plan for one connection to {@code target}. */
    List<Op> plan(Target target, Random r) {
        Builder b = new Builder(target, r);
        if (r.nextInt(100) < 3) {
            b.mark(SILENT);
            b.ops.add(new Op.AwaitServerClose(idleMillis - TIMER_SLACK_MILLIS, idleMillis + CLOSE_SLACK_MILLIS,
                    "idle_timeout", false));
            return b.ops;
        }
        int actions = 1 + r.nextInt(8);
        for (int i = 0; i < actions; i++) {
            b.action();
            if (b.shadow.midMessage() || b.shadow.closes()) {
                throw new IllegalStateException("an action left the stream mid-message: " + b.ops);
            }
        }
        b.terminal();
        return b.ops;
    }

    private final class Builder {
        final Target t;
        final Random r;
        final boolean line;
        final List<Op> ops = new ArrayList<>();
        final ReplyModel shadow;

        Builder(Target t, Random r) {
            this.t = t;
            this.r = r;
            this.line = t.framing() == Framing.LINE;
            this.shadow = new ReplyModel(t.framing(), t.mode(), max, ackText, reply -> { });
        }

        void mark(String name) {
            ops.add(new Op.Mark(name));
        }

        void send(byte[] bytes) {
            shadow.sent(bytes);
            ops.add(new Op.Send(bytes));
        }

        void await() {
            ops.add(new Op.AwaitReplies(REPLY_TIMEOUT_MILLIS));
        }

        void action() {
            int p = r.nextInt(100);
            if (p < 22) {
                mark(VALID);
                send(message());
                await();
            } else if (p < 36) {
                mark(PIPELINE);
                send(messages(2 + r.nextInt(19), Integer.MAX_VALUE));
                await();
            } else if (p < 48) {
                mark(SPLIT);
                split(messages(1 + r.nextInt(3), 3 * max), 500);
                await();
            } else if (p < 55) {
                if (line) {
                    mark(OVERSIZE_LINE);
                    byte[] tooLong = concat(lineContent(max + 1 + r.nextInt(2 * max)), new byte[] {'\n'});
                    byte[] after = r.nextBoolean() ? message() : new byte[0];
                    if (r.nextBoolean()) {
                        split(concat(tooLong, after), 300);
                    } else {
                        send(concat(tooLong, after));
                    }
                } else {
                    mark(ZERO_LENGTH);
                    send(concat(new byte[4], r.nextBoolean() ? message() : new byte[0]));
                }
                await();
            } else if (p < 61) {
                if (line) {
                    mark(GARBAGE_LINE);
                    byte[] garbage = new byte[1 + r.nextInt(2 * max)];
                    r.nextBytes(garbage);
                    send(concat(garbage, new byte[] {'\n'})); // back to a line boundary
                } else {
                    mark(ZERO_LENGTH);
                    send(new byte[4]);
                }
                await();
            } else if (p < 67) {
                mark(SLOW_READ);
                ops.add(new Op.SlowRead(64 << r.nextInt(4), 300 + r.nextInt(700)));
                send(messages(1 + r.nextInt(20), 8 * 1024));
                await();
            } else if (p < 71) {
                mark(NO_READ);
                ops.add(new Op.PauseReading(200 + r.nextInt(600)));
                int budget = (32 << r.nextInt(3)) * 1024;
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                while (burst.size() < budget) {
                    burst.writeBytes(message());
                }
                send(burst.toByteArray());
                await();
            } else {
                mark(THINK);
                ops.add(new Op.Sleep(r.nextInt(300)));
            }
        }

        void terminal() {
            int p = r.nextInt(100);
            if (p < 15 && !line) {
                mark(OVERSIZE_LENGTH);
                int length = max + 1 + r.nextInt(r.nextBoolean() ? 16 : 1 << 20);
                byte[] body = new byte[r.nextInt(Math.min(length, 2 * max))]; // never the whole frame
                r.nextBytes(body);
                send(concat(intBytes(length), body));
                ops.add(new Op.AwaitServerClose(0, CLOSE_SLACK_MILLIS, "frame_too_long", false));
            } else if (p < 27 && !line) {
                mark(BAD_PREFIX);
                int[] prefixes = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, -1 - r.nextInt(Integer.MAX_VALUE)};
                byte[] tail = new byte[r.nextInt(16)];
                r.nextBytes(tail);
                send(concat(intBytes(prefixes[r.nextInt(prefixes.length)]), tail));
                ops.add(new Op.AwaitServerClose(0, CLOSE_SLACK_MILLIS, "frame_too_long", false));
            } else if (p < 37 && !line) {
                garbageOnLength();
            } else if (p < 45) {
                mark(SLOWLORIS);
                if (line) {
                    send(lineContent(1 + r.nextInt(100))); // no \n: the line never ends
                } else if (r.nextBoolean()) {
                    send(slice(intBytes(1 + r.nextInt(max)), 1 + r.nextInt(3))); // part of a prefix
                } else {
                    int length = 1 + r.nextInt(max);
                    byte[] body = new byte[r.nextInt(length)]; // never the whole body
                    r.nextBytes(body);
                    send(concat(intBytes(length), body));
                }
                if (!shadow.midMessage()) {
                    throw new IllegalStateException("slowloris must leave a message open");
                }
                ops.add(new Op.AwaitServerClose(frameMillis - TIMER_SLACK_MILLIS, frameMillis + CLOSE_SLACK_MILLIS,
                        "frame_timeout", false));
            } else if (p < 63) {
                mark(RESET);
                if (r.nextBoolean()) {
                    send(messages(1 + r.nextInt(20), Integer.MAX_VALUE)); // replies still in flight
                }
                byte[] whole = concat(message(), message());
                send(slice(whole, 1 + r.nextInt(whole.length - 1)));
                ops.add(new Op.Reset());
            } else if (p < 80) {
                mark(HALF_CLOSE);
                if (r.nextBoolean() && (!line || t.lastLineOnHalfClose())) {
                    byte[] whole = message();
                    // line: the last line without its terminator (still answered); length: a partial frame (dropped)
                    send(line ? withoutTerminator(whole) : slice(whole, 1 + r.nextInt(whole.length - 1)));
                }
                ops.add(new Op.HalfClose(REPLY_TIMEOUT_MILLIS));
            } else {
                mark(CLOSE);
                ops.add(new Op.Close());
            }
        }

        /**
         * Random bytes on a length listener. Cut right after the first prefix above the maximum, if any (a few
         * bytes of its body may follow, never a whole frame: nothing after it could be answered before the
         * server closes), so that the server's replies are exactly the model's, or a prefix of them.
         */
        void garbageOnLength() {
            mark(GARBAGE_LENGTH);
            byte[] garbage = new byte[1 + r.nextInt(3 * max)];
            r.nextBytes(garbage);
            ReplyModel probe = new ReplyModel(Framing.LENGTH, t.mode(), max, ackText, reply -> { });
            int end = garbage.length;
            for (int i = 0; i < garbage.length; i++) {
                probe.sent(garbage, i, 1);
                if (probe.closes()) {
                    end = Math.min(garbage.length, i + 1 + r.nextInt(64));
                    break;
                }
            }
            send(slice(garbage, end));
            if (shadow.closes()) {
                ops.add(new Op.AwaitServerClose(0, CLOSE_SLACK_MILLIS, "frame_too_long", true));
            } else if (shadow.midMessage()) {
                ops.add(new Op.AwaitServerClose(0, frameMillis + CLOSE_SLACK_MILLIS, "frame_timeout", true));
            } else { // the garbage happened to be whole frames: an ordinary connection after all
                await();
                ops.add(new Op.Close());
            }
        }

        /**
         * Sends {@code bytes} as many small writes (1..64 bytes each), with up to five pauses in between that
         * end at most {@code sleepBudget} ms after the action began: the server sees the messages cut at
         * random points, across reads.
         */
        void split(byte[] bytes, int sleepBudget) {
            int pos = 0;
            int pauses = 1 + r.nextInt(5);
            long at = 0;
            while (pos < bytes.length) {
                int n = Math.min(1 + r.nextInt(64), bytes.length - pos);
                byte[] piece = new byte[n];
                System.arraycopy(bytes, pos, piece, 0, n);
                send(piece);
                pos += n;
                if (pos < bytes.length && pauses > 0 && r.nextInt(Math.max(1, bytes.length / 64 / pauses)) == 0) {
                    pauses--;
                    at = Math.min(sleepBudget, at + 1 + r.nextInt(sleepBudget / 5));
                    ops.add(new Op.Sleep(at));
                }
            }
        }

        byte[] messages(int count, int byteBudget) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < count && out.size() < byteBudget; i++) {
                out.writeBytes(message());
            }
            return out.toByteArray();
        }

        /** One valid message, framed: payload of 0..max bytes, often short, sometimes exactly max. */
        byte[] message() {
            int p = r.nextInt(100);
            int length = p < 55 ? r.nextInt(64) : p < 80 ? 64 + r.nextInt(448) : p < 95 ? 512 + r.nextInt(max - 511)
                    : max - r.nextInt(2);
            if (line) {
                byte[] content = lineContent(length);
                return concat(content, r.nextInt(5) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
            }
            byte[] payload = new byte[length];
            r.nextBytes(payload);
            return Framing.LENGTH.frame(payload);
        }

        /** Line content: printable text, or any bytes but {@code \n}. */
        byte[] lineContent(int length) {
            byte[] content = new byte[length];
            boolean text = r.nextInt(10) < 7;
            for (int i = 0; i < length; i++) {
                byte b;
                do {
                    b = text ? (byte) (' ' + r.nextInt(95)) : (byte) r.nextInt(256);
                } while (b == '\n');
                content[i] = b;
            }
            return content;
        }
    }

    private static byte[] withoutTerminator(byte[] lineMessage) {
        int end = lineMessage.length - 1;
        if (end > 0 && lineMessage[end - 1] == '\r') {
            end--;
        }
        return end == 0 ? new byte[] {'x'} : slice(lineMessage, end);
    }

    static byte[] slice(byte[] bytes, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, 0, length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
