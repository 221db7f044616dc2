package io.jtgt.iscsi.text;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * Joins the data segments of a multi-PDU text (C bit, RFC 7143 6.1: a key=value pair may be
 * split across PDUs) up to a size limit.
 */
public final class TextAssembler {

    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public TextAssembler(int limit) {
        this.limit = limit;
    }

    /** Appends one PDU's data; false when the joined text would exceed the limit. */
    public boolean append(ByteBuf data) {
        if (buffer.size() + data.readableBytes() > limit) {
            return false;
        }
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        buffer.writeBytes(bytes);
        return true;
    }

    /** The joined text so far, and resets for the next one. */
    public byte[] take() {
        byte[] result = buffer.toByteArray();
        buffer.reset();
        return result;
    }

    public boolean isEmpty() {
        return buffer.size() == 0;
    }
}
