package io.jtgt.iscsi.pdu;


/** A well-framed PDU with an opcode we do not know; answered with Reject reason 0x05. */
public final class UnknownPdu extends IscsiPdu {

    public UnknownPdu(byte[] bhs) {
        super(bhs);
    }
}
