package io.jtgt.iscsi.testing;

import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.PduEncoder;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.text.TextParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** PDUs as the test initiators build and encode them. */
public final class Pdus {

    private Pdus() {}

    /** {@code pdu} as one unpooled heap buffer, encoded with the target's own encoder; releases the PDU. */
    public static ByteBuf encode(IscsiPdu pdu, CodecSettings codec) {
        List<Object> parts = new ArrayList<>();
        PduEncoder.encode(UnpooledByteBufAllocator.DEFAULT, pdu, codec, parts);
        pdu.release();
        ByteBuf all = Unpooled.buffer();
        for (Object part : parts) {
            ByteBuf b = (ByteBuf) part;
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    /** A Login Request CSG=1 → full feature phase (T set) carrying {@code keys}. */
    public static LoginRequestPdu login(long isid, int itt, int cmdSn, TextParameters keys) {
        LoginRequestPdu request = new LoginRequestPdu();
        request.immediate(true);
        request.transit(true);
        request.stages(1, 3);
        request.isid(isid);
        request.initiatorTaskTag(itt);
        request.cmdSn(cmdSn);
        request.data(keys.encode());
        return request;
    }

    /** A simple-attribute SCSI Command PDU, F set. */
    public static ScsiCommandPdu command(byte[] cdb, int edtl, boolean read, boolean write, int itt, int cmdSn) {
        ScsiCommandPdu pdu = new ScsiCommandPdu();
        pdu.finalFlag(true);
        pdu.read(read);
        pdu.write(write);
        pdu.taskAttribute(1);
        pdu.initiatorTaskTag(itt);
        pdu.cmdSn(cmdSn);
        pdu.expectedDataTransferLength(edtl);
        pdu.cdbField(cdb);
        return pdu;
    }

    /** READ(10) (0x28) / WRITE(10) (0x2a) CDB. */
    public static byte[] rw10(int opcode, int lba, int blocks) {
        return new byte[] {(byte) opcode, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
            (byte) (blocks >> 8), (byte) blocks, 0};
    }
}
