package io.jtgt.scsi.core.spc;

import io.jtgt.scsi.core.CommandContext;

/** One Vital Product Data page (SPC-4 7.8): its code and a generator of its full bytes. */
public record VpdPage(int code, Generator generator) {

    @FunctionalInterface
    public interface Generator {
        /** The page including its 4-byte header; {@code ctx.device()} is never null. */
        byte[] generate(CommandContext ctx);
    }

    /** A page with the SPC-4 7.8.1 header for a direct-access device and {@code body} after it. */
    public static byte[] withHeader(int code, byte[] body) {
        byte[] page = new byte[4 + body.length];
        page[0] = 0x00; // PERIPHERAL QUALIFIER 000b, DEVICE TYPE 00h (direct access block device)
        page[1] = (byte) code;
        page[2] = (byte) (body.length >>> 8);
        page[3] = (byte) body.length;
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }
}
