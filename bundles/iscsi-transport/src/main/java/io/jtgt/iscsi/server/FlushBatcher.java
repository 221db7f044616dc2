package io.jtgt.iscsi.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Turns many flushes into few syscalls. While the channel is reading, flushes wait for the read
 * burst to end; outside a read (answers completed by a backend) they wait for one task on the
 * channel's loop, which then sends every answer that came in meanwhile in one write. A flush goes
 * out at once after {@code maxPending} held ones, and before the channel closes or stops being
 * writable.
 *
 * <p>Like Netty's {@code FlushConsolidationHandler} with consolidation outside reads, but the
 * deferred flush is this handler itself handed to {@code execute}: Netty's version submits a new
 * promise task each time, one object per completed command at high IOPS.
 */
final class FlushBatcher extends ChannelDuplexHandler implements Runnable {

    private final int maxPending;
    private ChannelHandlerContext ctx;
    private boolean reading;
    private boolean scheduled;
    private int pending;

    FlushBatcher(int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
        }
        this.maxPending = maxPending;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (++pending >= maxPending) {
            flushNow();
        } else if (!reading && !scheduled) {
            scheduled = true;
            ctx.executor().execute(this);
        }
    }

    /** The deferred flush, on the channel's loop. */
    @Override
    public void run() {
        scheduled = false;
        flushNow();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        flushNow();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            flushNow(); // what is held must reach the socket for the channel to drain
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        flushNow();
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushNow();
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushNow();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushNow();
    }

    private void flushNow() {
        if (pending > 0) {
            pending = 0;
            ctx.flush();
        }
    }
}
