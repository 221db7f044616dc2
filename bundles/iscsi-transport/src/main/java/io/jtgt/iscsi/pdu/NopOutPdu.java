package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-Out (RFC 7143 11.18). */
public final class NopOutPdu extends InitiatorPdu {

    public NopOutPdu(ByteBuf bhs) {
        super(bhs);
    }

    public NopOutPdu() {
        super(Opcode.NOP_OUT);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }
}
