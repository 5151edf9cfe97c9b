package io.echoack.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseNotifySeparatorTest {

    /** What reaches the SslHandler's place: each read as hex, and "|" for each read-complete. */
    private final List<String> seen = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new CloseNotifySeparator(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf bytes = (ByteBuf) msg;
                seen.add(ByteBufUtil.hexDump(bytes));
                bytes.release();
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                seen.add("|");
            }
        });
    }

    private static String record(int type, int length) {
        return String.format("%02x0303%04x", type, length) + "ab".repeat(length);
    }

    private void read(EmbeddedChannel ch, String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    @Test
    void messagesThenACloseNotifyInOneReadAreSplitWithAReadCompleteBetween() {
        EmbeddedChannel ch = channel();
        String data = record(23, 200);
        String closeNotify = record(23, 19);
        read(ch, data + closeNotify);
        assertEquals(List.of(data, "|", closeNotify, "|"), seen);
        assertFalse(ch.finish());
    }

    @Test
    void aTls12AlertIsRecognisedByItsType() {
        EmbeddedChannel ch = channel();
        String data = record(23, 100);
        String alert = record(21, 26);
        read(ch, data + alert);
        assertEquals(List.of(data, "|", alert, "|"), seen);
        assertFalse(ch.finish());
    }

    @Test
    void aReadOfOneRecordOrEndingInALongRecordPassesUntouched() {
        EmbeddedChannel ch = channel();
        read(ch, record(23, 19));
        read(ch, record(23, 19) + record(23, 300));
        assertEquals(List.of(record(23, 19), "|", record(23, 19) + record(23, 300), "|"), seen);
        assertFalse(ch.finish());
    }

    @Test
    void recordsAreFollowedAcrossReadsEvenWhenAHeaderIsCut() {
        EmbeddedChannel ch = channel();
        String first = record(23, 40);
        String closeNotify = record(23, 19);
        String stream = first + record(23, 100) + closeNotify;
        int cutInBody = first.length() + 2 * 7; // inside the second record's body
        int cutInHeader = first.length() + 2 * 2; // inside the second record's header
        for (int cut : new int[] {cutInBody, cutInHeader}) {
            seen.clear();
            EmbeddedChannel fresh = channel();
            read(fresh, stream.substring(0, cut));
            read(fresh, stream.substring(cut));
            String rest = stream.substring(cut, stream.length() - closeNotify.length());
            assertEquals(List.of(stream.substring(0, cut), "|", rest, "|", closeNotify, "|"), seen, "cut at " + cut);
            assertFalse(fresh.finish());
        }
        assertFalse(ch.finish());
    }

    @Test
    void aReadEndingInsideARecordIsNotSplit() {
        EmbeddedChannel ch = channel();
        String stream = record(23, 50) + record(23, 19);
        read(ch, stream.substring(0, stream.length() - 4));
        read(ch, stream.substring(stream.length() - 4));
        assertEquals(List.of(stream.substring(0, stream.length() - 4), "|", stream.substring(stream.length() - 4),
                "|"), seen);
        assertFalse(ch.finish());
    }

    @Test
    void plaintextGarbageJustPassesThrough() {
        EmbeddedChannel ch = channel();
        String hello = ByteBufUtil.hexDump("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        read(ch, hello);
        assertEquals(List.of(hello, "|"), seen);
        assertFalse(ch.finish());
    }
}
