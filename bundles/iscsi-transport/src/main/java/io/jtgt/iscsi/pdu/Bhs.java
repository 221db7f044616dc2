package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian accessors over the 48 bytes of a basic header segment (RFC 7143 11.2.1), named as
 * Netty's {@link ByteBuf} names them. The PDU holds the plain array itself: no buffer, reference
 * count or wrapper object is made per PDU.
 */
public final class Bhs {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bhs() {}

    /** All zeros. */
    public static byte[] empty() {
        return new byte[IscsiPdu.BHS_LENGTH];
    }

    /** Reads the next 48 bytes of {@code in}. */
    static byte[] readFrom(ByteBuf in) {
        byte[] bytes = new byte[IscsiPdu.BHS_LENGTH];
        in.readBytes(bytes);
        return bytes;
    }

    public static byte getByte(byte[] bhs, int index) {
        return bhs[index];
    }

    public static short getUnsignedByte(byte[] bhs, int index) {
        return (short) (bhs[index] & 0xff);
    }

    public static int getUnsignedShort(byte[] bhs, int index) {
        return (short) SHORT.get(bhs, index) & 0xffff;
    }

    public static int getUnsignedMedium(byte[] bhs, int index) {
        return (bhs[index] & 0xff) << 16 | (bhs[index + 1] & 0xff) << 8 | bhs[index + 2] & 0xff;
    }

    public static int getInt(byte[] bhs, int index) {
        return (int) INT.get(bhs, index);
    }

    public static long getUnsignedInt(byte[] bhs, int index) {
        return getInt(bhs, index) & 0xffffffffL;
    }

    public static long getLong(byte[] bhs, int index) {
        return (long) LONG.get(bhs, index);
    }

    public static void getBytes(byte[] bhs, int index, byte[] dst) {
        System.arraycopy(bhs, index, dst, 0, dst.length);
    }

    public static void setByte(byte[] bhs, int index, int value) {
        bhs[index] = (byte) value;
    }

    public static void setShort(byte[] bhs, int index, int value) {
        SHORT.set(bhs, index, (short) value);
    }

    public static void setMedium(byte[] bhs, int index, int value) {
        bhs[index] = (byte) (value >>> 16);
        bhs[index + 1] = (byte) (value >>> 8);
        bhs[index + 2] = (byte) value;
    }

    public static void setInt(byte[] bhs, int index, int value) {
        INT.set(bhs, index, value);
    }

    public static void setLong(byte[] bhs, int index, long value) {
        LONG.set(bhs, index, value);
    }

    public static void setBytes(byte[] bhs, int index, byte[] src) {
        System.arraycopy(src, 0, bhs, index, src.length);
    }

    public static void setZero(byte[] bhs, int index, int length) {
        java.util.Arrays.fill(bhs, index, index + length, (byte) 0);
    }
}
