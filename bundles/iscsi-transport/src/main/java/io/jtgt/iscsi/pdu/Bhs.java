package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 48 bytes of a basic header segment (RFC 7143 11.2.1), big-endian, with the accessors the
 * typed PDUs use (named as Netty's {@link ByteBuf} names them). A plain array and nothing else:
 * every PDU has one, and unlike a wrapped {@link ByteBuf} it has no reference count or buffer
 * object around it to allocate per PDU.
 */
public final class Bhs {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;

    /** All zeros. */
    public Bhs() {
        this(new byte[IscsiPdu.BHS_LENGTH]);
    }

    private Bhs(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Reads the next 48 bytes of {@code in}. */
    static Bhs readFrom(ByteBuf in) {
        byte[] bytes = new byte[IscsiPdu.BHS_LENGTH];
        in.readBytes(bytes);
        return new Bhs(bytes);
    }

    /** Appends the 48 bytes to {@code out}. */
    void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    public byte getByte(int index) {
        return bytes[index];
    }

    public short getUnsignedByte(int index) {
        return (short) (bytes[index] & 0xff);
    }

    public int getUnsignedShort(int index) {
        return (short) SHORT.get(bytes, index) & 0xffff;
    }

    public int getUnsignedMedium(int index) {
        return (bytes[index] & 0xff) << 16 | (bytes[index + 1] & 0xff) << 8 | bytes[index + 2] & 0xff;
    }

    public int getInt(int index) {
        return (int) INT.get(bytes, index);
    }

    public long getUnsignedInt(int index) {
        return getInt(index) & 0xffffffffL;
    }

    public long getLong(int index) {
        return (long) LONG.get(bytes, index);
    }

    public void getBytes(int index, byte[] dst) {
        System.arraycopy(bytes, index, dst, 0, dst.length);
    }

    public void setByte(int index, int value) {
        bytes[index] = (byte) value;
    }

    public void setShort(int index, int value) {
        SHORT.set(bytes, index, (short) value);
    }

    public void setMedium(int index, int value) {
        bytes[index] = (byte) (value >>> 16);
        bytes[index + 1] = (byte) (value >>> 8);
        bytes[index + 2] = (byte) value;
    }

    public void setInt(int index, int value) {
        INT.set(bytes, index, value);
    }

    public void setLong(int index, long value) {
        LONG.set(bytes, index, value);
    }

    public void setBytes(int index, byte[] src) {
        System.arraycopy(src, 0, bytes, index, src.length);
    }

    public void setZero(int index, int length) {
        java.util.Arrays.fill(bytes, index, index + length, (byte) 0);
    }

    /** A copy of the 48 bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }
}
