package io.jtgt.scsi.core;

/** Big-endian field readers for CDBs and parameter lists (SPC-4 3.5: multi-byte fields are big-endian). */
public final class Cdb {

    private Cdb() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    public static int u24(byte[] b, int off) {
        return ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
    }

    public static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    /** An unsigned 64-bit field; values above Long.MAX_VALUE come back negative (callers range-check). */
    public static long u64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }

    public static boolean bit(byte[] b, int off, int bit) {
        return (b[off] & (1 << bit)) != 0;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void put64(byte[] b, int off, long v) {
        put32(b, off, v >>> 32);
        put32(b, off + 4, v);
    }

    /** Writes {@code s} as ASCII into {@code len} bytes, space padded (SPC-4 4.4.1). */
    public static void putAscii(byte[] b, int off, int len, String s) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }
}
