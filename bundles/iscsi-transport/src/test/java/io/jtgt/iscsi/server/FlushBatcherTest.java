package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Flushes are held within a read burst and until the loop's next task, never lost. */
class FlushBatcherTest {

    /** Answers every inbound message with one flushed write, as the connection handler does. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private static ByteBuf byteOf(int b) {
        return Unpooled.buffer(1).writeByte(b);
    }

    private static int outboundCount(EmbeddedChannel ch) {
        int n = 0;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ((ByteBuf) o).release();
            n++;
        }
        return n;
    }

    @Test
    void flushesWithinAReadBurstWaitForReadComplete() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64), new Echo());
        ch.pipeline().fireChannelRead(byteOf(1));
        ch.pipeline().fireChannelRead(byteOf(2));
        assertNull(ch.readOutbound(), "held until the read burst ends");
        ch.pipeline().fireChannelReadComplete();
        assertEquals(2, outboundCount(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aFlushOutsideAReadGoesOutWithTheLoopsNextTask() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64));
        // (EmbeddedChannel runs its pending tasks on a write, so the writes come first here.)
        ch.pipeline().write(byteOf(1));
        ch.pipeline().write(byteOf(2));
        ch.pipeline().flush();
        ch.pipeline().flush();
        assertEquals(0, ch.outboundMessages().size(), "held for one task");
        ch.runPendingTasks();
        assertEquals(2, outboundCount(ch));
        ch.runPendingTasks(); // the one scheduled task has run; nothing is flushed twice
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void theMaxPendingFlushGoesOutAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(3), new Echo());
        for (int i = 0; i < 3; i++) {
            ch.pipeline().fireChannelRead(byteOf(i));
        }
        assertEquals(3, outboundCount(ch), "the third flush is the explicit one");
        ch.finishAndReleaseAll();
    }

    @Test
    void closeSendsWhatIsHeld() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64));
        ch.pipeline().write(byteOf(7));
        ch.pipeline().flush();
        assertEquals(0, ch.outboundMessages().size());
        ch.close();
        assertEquals(1, outboundCount(ch));
        ch.finishAndReleaseAll();
    }
}
