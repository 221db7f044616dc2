package io.jtgt.iscsi.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** A renewed PDU is byte for byte a new one, and lets go of its data. */
class PduRenewTest {

    @Test
    void aRenewedScsiResponseIsANewOne() {
        ScsiResponsePdu used = new ScsiResponsePdu();
        used.status(0x02);
        used.residual(4096, 512);
        used.initiatorTaskTag(77);
        used.statSn(9);
        used.immediate(true);
        used.data(new byte[] {0, 2, 0x70, 0});
        used.ahs(new byte[4]);
        used.renew();
        assertArrayEquals(new ScsiResponsePdu().bhs(), used.bhs(), "the F bit stays set, all else is zero");
        assertEquals(0, used.ahs().length);
        assertEquals(0, used.data().readableBytes());
    }

    @Test
    void aRenewedDataInIsANewOneAndReleasedItsData() {
        DataInPdu used = new DataInPdu();
        ByteBuf data = Unpooled.buffer(8).writeLong(1);
        used.data(data);
        used.hasStatus(true);
        used.finalFlag(true);
        used.dataSn(3);
        used.bufferOffset(8192);
        used.lun(1L << 48);
        used.renew();
        assertArrayEquals(new DataInPdu().bhs(), used.bhs());
        assertEquals(0, data.refCnt(), "the old data segment is released");
    }
}
