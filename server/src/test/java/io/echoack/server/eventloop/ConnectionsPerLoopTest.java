package io.echoack.server.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionsPerLoopTest {

    private final ConnectionsPerLoop perLoop = new ConnectionsPerLoop();
    private EventLoopGroup group;
    private ChannelGroup connections;
    private final List<Channel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(2, new ThreadPerTaskExecutor(new DefaultThreadFactory("per-loop-test")),
                perLoop.chooserFactory(), NioIoHandler.newFactory());
        connections = perLoop.newConnectionGroup("test", GlobalEventExecutor.INSTANCE);
    }

    @AfterEach
    void stop() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What the group chooses when asked on {@code loop}, as the accepting loop asks for a new connection. */
    private EventExecutor chosenOn(EventLoop loop) throws Exception {
        return loop.submit(() -> group.next()).get(5, TimeUnit.SECONDS);
    }

    /** A connection served by {@code loop}, in the group. */
    private Channel connectionOn(EventLoop loop) {
        Channel ch = new NioSocketChannel();
        loop.register(ch).syncUninterruptibly();
        channels.add(ch);
        connections.add(ch);
        return ch;
    }

    @Test
    void outsideTheLoopsTheLoopsComeInTurn() {
        EventExecutor first = group.next();
        EventExecutor second = group.next();
        assertNotSame(first, second);
        assertSame(first, group.next());
    }

    @Test
    void aConnectionStaysOnTheAcceptingLoopUntilThatLoopIsTwoAboveTheLeastBusy() throws Exception {
        EventLoop a = (EventLoop) group.next();
        EventLoop b = (EventLoop) group.next();
        assertSame(a, chosenOn(a), "both idle: stays");
        Channel first = connectionOn(a);
        assertEquals(1, perLoop.connections(a));
        assertSame(a, chosenOn(a), "one above the least busy: stays");
        connectionOn(a);
        assertEquals(2, perLoop.connections(a));
        assertSame(b, chosenOn(a), "two above: to the least busy loop");
        assertSame(b, chosenOn(b));

        first.close().syncUninterruptibly(); // a closed connection leaves its loop's count
        assertEquals(1, perLoop.connections(a));
        assertSame(a, chosenOn(a));
    }

    @Test
    void longConnectionsSpreadOverTheLoops() throws Exception {
        EventLoop a = (EventLoop) group.next();
        EventLoop b = (EventLoop) group.next();
        for (int i = 0; i < 10; i++) { // all accepted on a, none closing
            connectionOn((EventLoop) chosenOn(a));
        }
        assertEquals(10, perLoop.connections(a) + perLoop.connections(b));
        assertEquals(6, perLoop.connections(a), "at most two above the least busy");
        assertEquals(4, perLoop.connections(b));
    }
}
