package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.CommandFlag.MEDIUM_READ;
import static io.jtgt.scsi.core.CommandFlag.MEDIUM_WRITE;
import static io.jtgt.scsi.core.CommandFlag.NEEDS_MEDIUM;
import static io.jtgt.scsi.core.CommandFlag.WRITES_BLOCKS;

import io.jtgt.scsi.core.CommandTable;
import io.jtgt.scsi.core.spc.VpdPage;
import java.util.List;

/**
 * The SBC-3 commands jtgt implements, registered into the dispatch table (usage arrays are the
 * CDB USAGE DATA after the opcode, SPC-4 6.35.3).
 */
public final class SbcCommands {

    private SbcCommands() {}

    /** The SBC-3 VPD pages, for INQUIRY. */
    public static List<VpdPage> vpdPages() {
        return BlockVpdPages.pages();
    }

    public static void register(CommandTable.Builder b) {
        int[] rw6 = {0x1F, 0xFF, 0xFF, 0xFF, 0x04};
        int[] read10 = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x04};
        int[] read12 = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x04};
        int[] read16 = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x04};
        int[] write10 = read10.clone();
        write10[0] = 0xFA; // WRPROTECT, DPO, FUA, FUA_NV; bit 2 reserved
        int[] write12 = read12.clone();
        write12[0] = 0xFA;
        int[] write16 = read16.clone();
        write16[0] = 0xFA;

        b.add(0x08, -1, "READ(6)", rw6, Read::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x28, -1, "READ(10)", read10, Read::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0xA8, -1, "READ(12)", read12, Read::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x88, -1, "READ(16)", read16, Read::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x0A, -1, "WRITE(6)", rw6, Write::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x2A, -1, "WRITE(10)", write10, Write::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0xAA, -1, "WRITE(12)", write12, Write::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x8A, -1, "WRITE(16)", write16, Write::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);

        b.add(0x25, -1, "READ CAPACITY(10)", new int[] {0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0x04},
                ReadCapacity::readCapacity10, NEEDS_MEDIUM);
        b.add(0x9E, 0x10, "READ CAPACITY(16)",
                new int[] {0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x04},
                ReadCapacity::readCapacity16, NEEDS_MEDIUM);

        b.add(0x35, -1, "SYNCHRONIZE CACHE(10)", new int[] {0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x04},
                SynchronizeCache::execute, NEEDS_MEDIUM, MEDIUM_WRITE);
        b.add(0x91, -1, "SYNCHRONIZE CACHE(16)",
                new int[] {0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x04},
                SynchronizeCache::execute, NEEDS_MEDIUM, MEDIUM_WRITE);

        int[] ten = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x04}; // LBA, GROUP NUMBER, LENGTH, CONTROL
        int[] twelve = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x04};
        int[] sixteen = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x04};

        b.add(0x41, -1, "WRITE SAME(10)", withByte1(0xF8, ten), WriteSame::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x93, -1, "WRITE SAME(16)", withByte1(0xF9, sixteen), WriteSame::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x42, -1, "UNMAP", new int[] {0x01, 0, 0, 0, 0, 0x1F, 0xFF, 0xFF, 0x04}, Unmap::execute,
                Unmap::available, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x9E, 0x12, "GET LBA STATUS",
                new int[] {0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                GetLbaStatus::execute, Unmap::available, NEEDS_MEDIUM, MEDIUM_READ);

        b.add(0x2F, -1, "VERIFY(10)", withByte1(0xF6, ten), Verify::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0xAF, -1, "VERIFY(12)", withByte1(0xF6, twelve), Verify::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x8F, -1, "VERIFY(16)", withByte1(0xF6, sixteen), Verify::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x2E, -1, "WRITE AND VERIFY(10)", withByte1(0xF2, ten), WriteAndVerify::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0xAE, -1, "WRITE AND VERIFY(12)", withByte1(0xF2, twelve), WriteAndVerify::execute, NEEDS_MEDIUM, MEDIUM_WRITE,
                WRITES_BLOCKS);
        b.add(0x8E, -1, "WRITE AND VERIFY(16)", withByte1(0xF2, sixteen), WriteAndVerify::execute, NEEDS_MEDIUM, MEDIUM_WRITE,
                WRITES_BLOCKS);
        b.add(0x34, -1, "PRE-FETCH(10)", withByte1(0x02, ten), PreFetch::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x90, -1, "PRE-FETCH(16)", withByte1(0x02, sixteen), PreFetch::execute, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x89, -1, "COMPARE AND WRITE",
                new int[] {0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0x1F, 0x04},
                CompareAndWrite::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x8B, -1, "ORWRITE(16)", withByte1(0xFA, sixteen), OrWrite::execute, NEEDS_MEDIUM, MEDIUM_WRITE,
                WRITES_BLOCKS);
        b.add(0x9C, -1, "WRITE ATOMIC(16)",
                new int[] {0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0x1F, 0x04},
                WriteAtomic::execute, NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x37, -1, "READ DEFECT DATA(10)", new int[] {0, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0x04},
                ReadDefectData::readDefectData10, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0xB7, -1, "READ DEFECT DATA(12)", new int[] {0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                ReadDefectData::readDefectData12, NEEDS_MEDIUM, MEDIUM_READ);
        // SBC-3 5.30 SANITIZE; CRYPTOGRAPHIC ERASE (03h) is not offered (no encryption to erase)
        int[] sanitize = {0xBF, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04};
        b.add(0x48, Sanitize.OVERWRITE, "SANITIZE / OVERWRITE", sanitize, Sanitize::execute,
                NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x48, Sanitize.BLOCK_ERASE, "SANITIZE / BLOCK ERASE", sanitize, Sanitize::execute,
                ctx -> Provisioning.enabled(ctx.table(), ctx.medium()), NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        b.add(0x48, Sanitize.EXIT_FAILURE_MODE, "SANITIZE / EXIT FAILURE MODE", sanitize, Sanitize::execute,
                NEEDS_MEDIUM, MEDIUM_WRITE, WRITES_BLOCKS);
        // not NEEDS_MEDIUM: an ejected medium must accept the load
        b.add(0x1B, -1, "START STOP UNIT", new int[] {0x01, 0, 0x0F, 0xF7, 0x04}, StartStopUnit::execute, MEDIUM_WRITE);
    }

    private static int[] withByte1(int byte1, int[] rest) {
        int[] usage = new int[rest.length + 1];
        usage[0] = byte1;
        System.arraycopy(rest, 0, usage, 1, rest.length);
        return usage;
    }
}
