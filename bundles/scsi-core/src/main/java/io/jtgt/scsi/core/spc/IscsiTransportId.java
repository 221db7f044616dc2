package io.jtgt.scsi.core.spc;

import java.nio.charset.StandardCharsets;

/** iSCSI TransportIDs (SPC-4 7.6.4.6) in PERSISTENT RESERVE OUT parameter lists. */
final class IscsiTransportId {

    private static final int PROTOCOL_ISCSI = 0x5;

    private IscsiTransportId() {}

    /**
     * The initiator port name ({@code <iSCSI name>,i,0x<ISID>}, lower-case 12-digit ISID, as jtgt
     * names I_T nexuses) of a format 01b TransportID at {@code off}, or null when it is not one.
     */
    static String initiatorPort(byte[] p, int off) {
        if (p.length < off + 4) {
            return null;
        }
        int format = (p[off] >> 6) & 0x03;
        int protocol = p[off] & 0x0F;
        int length = ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
        if (protocol != PROTOCOL_ISCSI || format != 0x01 || p.length < off + 4 + length) {
            return null;
        }
        int end = off + 4;
        while (end < off + 4 + length && p[end] != 0) {
            end++;
        }
        String text = new String(p, off + 4, end - off - 4, StandardCharsets.UTF_8);
        int sep = text.toLowerCase(java.util.Locale.ROOT).lastIndexOf(",i,0x");
        if (sep <= 0) {
            return null;
        }
        String isid = text.substring(sep + 5);
        if (!isid.matches("[0-9a-fA-F]{12}")) {
            return null;
        }
        return text.substring(0, sep) + ",i,0x" + isid.toLowerCase(java.util.Locale.ROOT);
    }
}
