package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SenseAndLunTest {

    @Test
    void fixedFormatLayout() {
        byte[] s = SenseData.of(SenseCode.INVALID_FIELD_IN_CDB).fieldPointer(true, 7, -1).build();
        assertEquals(18, s.length);
        assertEquals(0x70, s[0] & 0xFF, "current error, fixed format, no INFORMATION");
        assertEquals(5, s[2]);
        assertEquals(10, s[7], "ADDITIONAL SENSE LENGTH");
        assertEquals(0x24, s[12]);
        assertEquals(0, s[13]);
        assertEquals(0xC0, s[15] & 0xFF, "SKSV, C/D=1, no bit pointer");
        assertEquals(0, s[16]);
        assertEquals(7, s[17]);
    }

    @Test
    void bitPointerAndInformation() {
        byte[] s = SenseData.of(SenseCode.INVALID_FIELD_IN_PARAMETER_LIST).fieldPointer(false, 0x102, 5)
                .information(0x01020304L).build();
        assertEquals(0xF0, s[0] & 0xFF, "VALID set");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, new byte[] {s[3], s[4], s[5], s[6]});
        assertEquals(0x8D, s[15] & 0xFF, "SKSV, C/D=0, BPV, bit 5");
        assertEquals(1, s[16]);
        assertEquals(2, s[17]);
        assertEquals(0x26, s[12]);
    }

    @Test
    void unitAttentionSense() {
        byte[] s = SenseCode.POWER_ON_RESET.toSense();
        assertEquals(6, s[2]);
        assertEquals(0x29, s[12]);
        assertEquals(0, s[15], "no sense-key specific data");
    }

    @Test
    void lunEncodingRoundTrips() {
        assertEquals(0x0000_0000_0000_0000L, LunAddressing.encode(0));
        assertEquals(0x00FF_0000_0000_0000L, LunAddressing.encode(255));
        assertEquals(0x4100_0000_0000_0000L, LunAddressing.encode(256), "flat space above 255");
        assertEquals(0x7FFF_0000_0000_0000L, LunAddressing.encode(16383));
        for (int lun : new int[] {0, 1, 200, 255, 256, 1000, 16383}) {
            assertEquals(lun, LunAddressing.decode(LunAddressing.encode(lun)));
        }
        assertEquals(5, LunAddressing.decode(0x4005_0000_0000_0000L), "flat addressing of a small LUN");
        assertEquals(LunAddressing.UNSUPPORTED, LunAddressing.decode(0x0105_0000_0000_0000L), "bus 1");
        assertEquals(LunAddressing.UNSUPPORTED, LunAddressing.decode(0x0001_0001_0000_0000L), "second level");
        assertEquals(LunAddressing.UNSUPPORTED, LunAddressing.decode(0xC101_0000_0000_0000L), "well-known LUN");
        assertEquals(LunAddressing.UNSUPPORTED, LunAddressing.decode(0x8001_0000_0000_0000L), "LU addressing");
    }
}
