package io.jtgt.iscsi.text;

/**
 * Cuts a long outgoing text (e.g. a SendTargets answer) into pieces of at most the peer's
 * MaxRecvDataSegmentLength, to be sent with the C bit on all but the last (RFC 7143 11.11.2).
 */
public final class TextSplitter {

    private final byte[] text;
    private final int pieceSize;
    private int offset;

    public TextSplitter(byte[] text, int pieceSize) {
        this.text = text;
        this.pieceSize = Math.max(1, pieceSize);
    }

    public byte[] next() {
        int length = Math.min(pieceSize, text.length - offset);
        byte[] piece = new byte[length];
        System.arraycopy(text, offset, piece, 0, length);
        offset += length;
        return piece;
    }

    public boolean hasMore() {
        return offset < text.length;
    }
}
