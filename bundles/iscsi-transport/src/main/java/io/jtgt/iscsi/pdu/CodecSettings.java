package io.jtgt.iscsi.pdu;

/**
 * The per-connection framing parameters shared by {@link PduDecoder} and {@link PduEncoder}.
 * Changed only on the connection's event loop, between PDUs (digests switch on after the final
 * Login Response, RFC 7143 13.1).
 */
public final class CodecSettings {

    private boolean headerDigest;
    private boolean dataDigest;
    private int maxRecvDataSegmentLength;

    public CodecSettings(int maxRecvDataSegmentLength) {
        this.maxRecvDataSegmentLength = maxRecvDataSegmentLength;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public void headerDigest(boolean value) {
        this.headerDigest = value;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    public void dataDigest(boolean value) {
        this.dataDigest = value;
    }

    /** Largest data segment we accept; a bigger one is a protocol error (RFC 7143 13.12). */
    public int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    public void maxRecvDataSegmentLength(int value) {
        this.maxRecvDataSegmentLength = value;
    }
}
