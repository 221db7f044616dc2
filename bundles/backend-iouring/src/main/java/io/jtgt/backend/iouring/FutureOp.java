package io.jtgt.backend.iouring;

import java.util.concurrent.CompletableFuture;

/** A {@link RingOp} whose end completes a future: open, close, fallocate, fdatasync (not per I/O). */
final class FutureOp extends RingOp {

    final CompletableFuture<Integer> result = new CompletableFuture<>();

    FutureOp(byte opcode, int fd, long offset, long address, int length, int rwFlags) {
        super(opcode, fd, offset, address, length, rwFlags);
    }

    @Override
    void ended(int res, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(res);
        }
    }
}
