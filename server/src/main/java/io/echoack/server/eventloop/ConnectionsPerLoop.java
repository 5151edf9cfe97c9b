package io.echoack.server.eventloop;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which event loop serves each new stream connection: the loop that accepted it, as long as that loop serves no
 * more connections than the least busy loop plus one; otherwise the least busy loop. Netty's default hands new
 * channels to the loops in turn, so that with several loops most connections are accepted on one core and
 * served on another: a wake-up of the other loop and a hand-over between cores for every connection, about a
 * quarter of the server's CPU time for a short connection (bench/README.md, "Cost of a connection"). Long
 * connections still spread over the loops: none serves more than two above the least busy. (Two, not one: a
 * client that closes and at once connects again often finds its last connection still counted, and should
 * still stay.)
 *
 * <p>The server's event-loop group chooses with {@link #chooserFactory()}, and the server's group of open
 * stream connections, made by {@link #newConnectionGroup}, keeps the counts: a connection counts on its loop
 * from when it is added to the group until it closes. Whoever asks for a loop from outside the group's loops
 * (the listeners bound at startup) gets the loops in turn, as with Netty's default. Thread-safe.
 */
public final class ConnectionsPerLoop {

    private volatile Chooser chooser;

    /** For the server's event-loop group (one group per instance). */
    public EventExecutorChooserFactory chooserFactory() {
        return executors -> {
            if (chooser != null) {
                throw new IllegalStateException("one event-loop group per ConnectionsPerLoop");
            }
            Chooser c = new Chooser(executors.clone());
            chooser = c;
            return c;
        };
    }

    /**
     * The group of the server's open stream connections, counting each on its event loop while it is in the
     * group (a closed channel leaves the group by itself).
     */
    public ChannelGroup newConnectionGroup(String name, EventExecutor executor) {
        return new DefaultChannelGroup(name, executor) {
            @Override
            public boolean add(Channel channel) {
                boolean added = super.add(channel);
                if (added) {
                    count(channel, 1);
                }
                return added;
            }

            @Override
            public boolean remove(Object o) {
                boolean removed = super.remove(o);
                if (removed && o instanceof Channel channel) {
                    count(channel, -1);
                }
                return removed;
            }
        };
    }

    /** Connections counted on {@code loop} now (0 for a loop not of this group). */
    public int connections(EventExecutor loop) {
        Chooser c = chooser;
        int i = c == null ? -1 : c.indexOf(loop);
        return i < 0 ? 0 : c.counts.get(i);
    }

    private void count(Channel channel, int delta) {
        Chooser c = chooser;
        if (c == null || !channel.isRegistered() && delta > 0) {
            return;
        }
        EventLoop loop;
        try {
            loop = channel.eventLoop();
        } catch (IllegalStateException neverRegistered) {
            return;
        }
        int i = c.indexOf(loop);
        if (i >= 0) {
            c.counts.addAndGet(i, delta);
        }
    }

    static final class Chooser implements EventExecutorChooserFactory.EventExecutorChooser {
        private final EventExecutor[] loops;
        final AtomicIntegerArray counts;
        private final AtomicInteger turn = new AtomicInteger();

        Chooser(EventExecutor[] loops) {
            this.loops = loops;
            this.counts = new AtomicIntegerArray(loops.length);
        }

        @Override
        public EventExecutor next() {
            int here = -1;
            for (int i = 0; i < loops.length; i++) {
                if (loops[i].inEventLoop()) {
                    here = i;
                    break;
                }
            }
            if (here < 0) {
                return loops[Math.floorMod(turn.getAndIncrement(), loops.length)];
            }
            int least = here;
            for (int i = 0; i < loops.length; i++) {
                if (counts.get(i) < counts.get(least)) {
                    least = i;
                }
            }
            return counts.get(here) <= counts.get(least) + 1 ? loops[here] : loops[least];
        }

        int indexOf(EventExecutor loop) {
            for (int i = 0; i < loops.length; i++) {
                if (loops[i] == loop) {
                    return i;
                }
            }
            return -1;
        }
    }
}
