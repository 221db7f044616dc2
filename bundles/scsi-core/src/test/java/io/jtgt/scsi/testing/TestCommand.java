package io.jtgt.scsi.testing;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.TaskAttribute;
import io.jtgt.scsi.core.LunAddressing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;

/** A ScsiCommand as a transport would hand it over, with optional Data-Out. */
public final class TestCommand implements ScsiCommand {

    private final long lunField;
    private final byte[] cdb;
    private int expected;
    private TaskAttribute attribute = TaskAttribute.SIMPLE;
    private byte[] dataOut;
    public volatile Integer declaredTransferLength;
    public volatile int requested = -1;
    /** Completed by a test to play the transport aborting this command. */
    public final CompletableFuture<Void> abort = new CompletableFuture<>();

    public TestCommand(long lunField, byte[] cdb) {
        this.lunField = lunField;
        this.cdb = cdb;
    }

    public static TestCommand lun(int lun, int... cdb) {
        byte[] b = new byte[cdb.length];
        for (int i = 0; i < cdb.length; i++) {
            b[i] = (byte) cdb[i];
        }
        return new TestCommand(LunAddressing.encode(lun), b);
    }

    public TestCommand attribute(TaskAttribute value) {
        this.attribute = value;
        return this;
    }

    public TestCommand expect(int bytes) {
        this.expected = bytes;
        return this;
    }

    public TestCommand dataOut(byte[] data) {
        this.dataOut = data;
        this.expected = data.length;
        return this;
    }

    @Override
    public long lunField() {
        return lunField;
    }

    @Override
    public byte[] cdb() {
        return cdb;
    }

    @Override
    public long taskTag() {
        return 1;
    }

    @Override
    public TaskAttribute attribute() {
        return attribute;
    }

    @Override
    public int expectedDataTransferLength() {
        return expected;
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
    public void scsiTransferLength(int bytes) {
        declaredTransferLength = bytes;
    }

    @Override
    public CompletableFuture<ByteBuf> receiveData(int length) {
        requested = length;
        if (dataOut == null || length > dataOut.length) {
            return CompletableFuture.failedFuture(new IllegalStateException("initiator announced less"));
        }
        ByteBuf buf = Unpooled.directBuffer(length);
        buf.writeBytes(dataOut, 0, length);
        return CompletableFuture.completedFuture(buf);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> abortRequested() {
        return abort;
    }
}
