package io.jtgt.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingOpTest {

    @Test
    void shortReadResubmitsTheRemainder() throws Exception {
        FutureOp op = new FutureOp(RingOp.OP_READ, 7, 1000, 50_000, 4096, 0);
        assertFalse(op.onCompletion(1024), "short: must go again");
        assertEquals(2024, op.nextOffset());
        assertEquals(51_024, op.nextAddress());
        assertEquals(3072, op.nextLength());
        assertFalse(op.onCompletion(-4), "EINTR: same range again");
        assertEquals(3072, op.nextLength());
        assertTrue(op.onCompletion(3072));
        assertEquals(4096, op.result.get());
    }

    @Test
    void readAtEofEndsWithWhatWasRead() throws Exception {
        FutureOp op = new FutureOp(RingOp.OP_READ, 7, 0, 1, 4096, 0);
        assertFalse(op.onCompletion(512));
        assertTrue(op.onCompletion(0));
        assertEquals(512, op.result.get());
    }

    @Test
    void writeWithoutProgressAndNegativeResultsFail() {
        FutureOp stuck = new FutureOp(RingOp.OP_WRITE, 7, 0, 1, 4096, RingOp.RWF_DSYNC);
        assertTrue(stuck.onCompletion(0));
        assertTrue(stuck.result.isCompletedExceptionally());
        FutureOp full = new FutureOp(RingOp.OP_WRITE, 7, 0, 1, 4096, 0);
        assertTrue(full.onCompletion(-28));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, full.result::get);
        assertInstanceOf(ErrnoException.class, e.getCause());
        assertEquals(ErrnoException.ENOSPC, ((ErrnoException) e.getCause()).errno());
    }

    @Test
    void fsyncPassesItsResultThrough() throws Exception {
        FutureOp sync = new FutureOp(RingOp.OP_FSYNC, 7, 0, 0, 0, RingOp.FSYNC_DATASYNC);
        assertEquals(0, sync.nextLength());
        assertTrue(sync.onCompletion(0));
        assertEquals(0, sync.result.get());
    }

    @Test
    void sysctlDecidesBeforeNetty(@TempDir Path dir) throws Exception {
        Path sysctl = dir.resolve("io_uring_disabled");
        Files.writeString(sysctl, "2\n");
        assertTrue(IoUringAvailability.unusableReason(sysctl).orElseThrow().contains("io_uring_disabled = 2"));
        Files.writeString(sysctl, "0\n");
        assertTrue(IoUringAvailability.sysctlReason(sysctl).isEmpty());
        assertTrue(IoUringAvailability.sysctlReason(dir.resolve("missing")).isEmpty());
    }
}
