package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiOutcome;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.jtgt.scsi.testing.Harness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transport that reuses its command object (as iscsi-transport does) gets its outcome right for
 * every command, and the object back only when scsi-core is done with it: after a READ or WRITE
 * that reported directly, never after a command whose work may outlive its outcome.
 */
class CommandReuseTest {

    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness().ready();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** One command object a transport refills for each command, taking its outcome in parts. */
    private static final class ReusedCommand implements ScsiCommand, ScsiOutcome {
        private byte[] cdb;
        private byte[] dataOut;
        private Object attachment;
        private boolean reusable;
        private int status;
        private byte[] sense;
        private ByteBuf data;
        private CountDownLatch done;

        ReusedCommand next(byte[] dataOut, int... cdb) {
            this.cdb = new byte[cdb.length];
            for (int i = 0; i < cdb.length; i++) {
                this.cdb[i] = (byte) cdb[i];
            }
            this.dataOut = dataOut;
            this.reusable = false;
            this.data = null;
            this.done = new CountDownLatch(1);
            return this;
        }

        ReusedCommand runOn(Harness h) throws InterruptedException {
            h.nexus.execute(this, this);
            assertTrue(done.await(5, TimeUnit.SECONDS), "the command ends");
            return this;
        }

        @Override
        public void outcome(int status, byte[] sense, ByteBuf data) {
            this.status = status;
            this.sense = sense;
            this.data = data;
            done.countDown();
        }

        byte[] takeBytes() {
            byte[] out = ByteBufUtil.getBytes(data);
            data.release();
            data = null;
            return out;
        }

        @Override
        public long lunField() {
            return LunAddressing.encode(0);
        }

        @Override
        public byte[] cdb() {
            return cdb;
        }

        @Override
        public long taskTag() {
            return 7;
        }

        @Override
        public TaskAttribute attribute() {
            return TaskAttribute.SIMPLE;
        }

        @Override
        public int expectedDataTransferLength() {
            return dataOut != null ? dataOut.length : 4096;
        }

        @Override
        public boolean writesData() {
            return dataOut != null;
        }

        @Override
        public boolean readsData() {
            return dataOut == null;
        }

        @Override
        public CompletableFuture<ByteBuf> receiveData(int length) {
            ByteBuf buf = Unpooled.directBuffer(length);
            buf.writeBytes(dataOut, 0, length);
            return CompletableFuture.completedFuture(buf);
        }

        @Override
        public void reusableAfterOutcome() {
            reusable = true;
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public void attach(Object state) {
            attachment = state;
        }
    }

    private static byte[] blocks(int count, int seed) {
        byte[] b = new byte[count * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @Test
    void readsAndWritesThroughOneReusedObjectEachGetTheirOwnData() throws Exception {
        ReusedCommand c = new ReusedCommand();
        Object run = null;
        for (int round = 0; round < 20; round++) {
            int lba = round * 3;
            byte[] d = blocks(2, round);
            c.next(d, 0x2A, 0, 0, 0, 0, lba, 0, 0, 2, 0).runOn(h); // WRITE(10)
            assertEquals(ScsiResponse.GOOD, c.status);
            assertNull(c.data);
            assertTrue(c.reusable, "a WRITE that reported directly gives its object back");
            c.next(null, 0x28, 0, 0, 0, 0, lba, 0, 0, 2, 0).runOn(h); // READ(10)
            assertEquals(ScsiResponse.GOOD, c.status);
            assertArrayEquals(d, c.takeBytes(), "round " + round);
            assertTrue(c.reusable, "a READ that reported directly gives its object back");
            if (run == null) {
                run = c.attachment;
                assertNotNull(run, "scsi-core keeps its per-command state on the object");
            }
            assertSame(run, c.attachment, "the same run serves every command of the object");
        }
    }

    @Test
    void otherCommandsAndFailuresDoNotHandTheObjectBack() throws Exception {
        ReusedCommand c = new ReusedCommand();
        c.next(null, 0x12, 0, 0, 0, 96, 0).runOn(h); // INQUIRY
        assertEquals(ScsiResponse.GOOD, c.status);
        c.takeBytes();
        assertFalse(c.reusable, "only the hot READ/WRITE path declares its object free");
        c.next(null, 0x28, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 1, 0).runOn(h); // out of range
        assertEquals(ScsiResponse.CHECK_CONDITION, c.status);
        assertEquals(0x21, c.sense[12] & 0xFF, "LBA OUT OF RANGE");
        assertFalse(c.reusable, "a READ that failed before its I/O did not report directly");
        // a READ after both still reads right, through the object's run
        byte[] d = blocks(1, 42);
        c.next(d, 0x2A, 0, 0, 0, 0, 100, 0, 0, 1, 0).runOn(h);
        c.next(null, 0x28, 0, 0, 0, 0, 100, 0, 0, 1, 0).runOn(h);
        assertArrayEquals(d, c.takeBytes());
    }

    @Test
    void aFailedStoreReportsCheckConditionThroughTheReusedObject() throws Exception {
        ReusedCommand c = new ReusedCommand();
        c.next(null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).runOn(h);
        c.takeBytes();
        h.store().failNext = new io.jtgt.scsi.spi.BackingStoreException(
                io.jtgt.scsi.spi.BackingStoreException.Kind.READ_ERROR, "medium error");
        c.next(null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).runOn(h);
        assertEquals(ScsiResponse.CHECK_CONDITION, c.status);
        assertEquals(0x03, c.sense[2] & 0x0F, "MEDIUM ERROR");
        assertNull(c.data);
        c.next(null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).runOn(h);
        assertEquals(ScsiResponse.GOOD, c.status, "the next READ on the object is fine again");
        c.takeBytes();
    }
}
