package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket path a Unix datagram client binds is there while its channel is open, and gone after. */
@Timeout(20)
class ClientBootstrapsIT {

    @Test
    void theLocalUnixDatagramPathIsRemovedWhenTheChannelCloses() throws Exception {
        Transport transport = Transport.select(Transport.AUTO).transport();
        assumeTrue(transport.supports(EndpointKind.UNIXGRAM), "Unix datagrams need epoll or kqueue");
        MultiThreadIoEventLoopGroup group = ClientBootstraps.newGroup("bootstraps-it", 1, transport);
        try {
            Endpoint server = Endpoint.parse("unixgram:///tmp/echoack-nobody-listens.sock");
            ChannelFuture open = ClientBootstraps.openUnixgram(ClientBootstraps.datagram(group, transport, server,
                    100).handler(new ChannelInboundHandlerAdapter()), null);
            assertTrue(open.await(10, TimeUnit.SECONDS) && open.isSuccess(), String.valueOf(open.cause()));
            Path local = Path.of(((DomainSocketAddress) open.channel().localAddress()).path());
            assertTrue(Files.exists(local), local + " while open");
            open.channel().close().await(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.exists(local.getParent()) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertFalse(Files.exists(local), local + " after close");
            assertFalse(Files.exists(local.getParent()), local.getParent() + " after close");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
