package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.jtgt.scsi.core.SenseData;
import io.netty.buffer.ByteBuf;

/** Byte comparison for VERIFY, WRITE AND VERIFY and COMPARE AND WRITE. */
final class Compare {

    private Compare() {}

    /**
     * Throws MISCOMPARE DURING VERIFY OPERATION (SBC-3 5.3 / 5.29) with the INFORMATION field set
     * to the offset of the first differing byte (plus {@code informationBase}) if
     * {@code expected[expectedOffset..]} and {@code actual} differ over {@code length} bytes.
     * {@code expectedStride} != 0 repeats the first {@code expectedStride} bytes of expected
     * (BYTCHK 11b: one block compared with every block).
     */
    static void requireEqual(ByteBuf expected, int expectedOffset, int expectedStride, ByteBuf actual, int length,
            long informationBase) {
        int e0 = expected.readerIndex() + expectedOffset;
        int a0 = actual.readerIndex();
        for (int i = 0; i < length; i++) {
            int ei = expectedStride == 0 ? i : i % expectedStride;
            if (expected.getByte(e0 + ei) != actual.getByte(a0 + i)) {
                throw new ScsiException(SenseData.of(SenseCode.MISCOMPARE_DURING_VERIFY).information(informationBase + i));
            }
        }
    }
}
