package io.jtgt.iscsi.session;

/** CDB length from the operation code's group (SPC-4 4.2.5.1), to hand scsi-core the real CDB. */
final class Cdbs {

    private Cdbs() {}

    /**
     * Builds the CDB from the 16-byte BHS field and an extended-CDB AHS (RFC 7143 11.2.2.3).
     *
     * @param field the BHS CDB field
     * @param extended the extended CDB bytes (after the AHS header), or null
     */
    static byte[] cdb(byte[] field, byte[] extended) {
        if (extended != null) {
            byte[] cdb = new byte[16 + extended.length];
            System.arraycopy(field, 0, cdb, 0, 16);
            System.arraycopy(extended, 0, cdb, 16, extended.length);
            return cdb;
        }
        byte[] cdb = new byte[length(field[0])];
        System.arraycopy(field, 0, cdb, 0, cdb.length);
        return cdb;
    }

    /**
     * The command's CDB straight from its BHS (no 16-byte field copy in between), with an
     * extended-CDB AHS appended when there is one.
     */
    static byte[] cdb(io.jtgt.iscsi.pdu.ScsiCommandPdu pdu) {
        return cdb(pdu, null);
    }

    /**
     * As {@link #cdb(io.jtgt.iscsi.pdu.ScsiCommandPdu)}, refilling {@code reuse} when it has the
     * CDB's length (a reused task's array: steady-state READs and WRITEs copy into the same one).
     */
    static byte[] cdb(io.jtgt.iscsi.pdu.ScsiCommandPdu pdu, byte[] reuse) {
        byte[] extended = pdu.ahs().length == 0 ? null : extendedCdb(pdu.ahs());
        if (extended != null) {
            return cdb(pdu.cdbField(), extended);
        }
        byte[] bhs = pdu.bhs();
        int length = length(bhs[32]);
        byte[] cdb = reuse != null && reuse.length == length ? reuse : new byte[length];
        System.arraycopy(bhs, 32, cdb, 0, length);
        return cdb;
    }

    /** CDB length from the operation code's group. */
    private static int length(byte opcode) {
        return switch ((opcode & 0xff) >> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 5 -> 12;
            default -> 16; // group 4 (16 bytes), 3 (variable, fits here when short), 6–7 vendor
        };
    }

    /** Extracts an extended CDB (AHS type 1) from the AHS bytes, or null. */
    static byte[] extendedCdb(byte[] ahs) {
        int i = 0;
        while (i + 4 <= ahs.length) {
            int length = ((ahs[i] & 0xff) << 8) | (ahs[i + 1] & 0xff);
            int type = ahs[i + 2] & 0xff;
            int dataLength = length - 1; // the length counts the reserved byte after the type
            int total = 3 + length;
            if (type == 1 && dataLength > 0 && i + 4 + dataLength <= ahs.length) {
                byte[] ext = new byte[dataLength];
                System.arraycopy(ahs, i + 4, ext, 0, dataLength);
                return ext;
            }
            i += (total + 3) & ~3;
        }
        return null;
    }
}
