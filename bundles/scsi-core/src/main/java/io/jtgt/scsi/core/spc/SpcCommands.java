package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.CommandFlag.ALLOWED_DURING_SANITIZE;
import static io.jtgt.scsi.core.CommandFlag.ANY_LUN;
import static io.jtgt.scsi.core.CommandFlag.LEGACY_RESERVATION_EXEMPT;
import static io.jtgt.scsi.core.CommandFlag.MEDIUM_READ;
import static io.jtgt.scsi.core.CommandFlag.MEDIUM_WRITE;
import static io.jtgt.scsi.core.CommandFlag.NEEDS_MEDIUM;
import static io.jtgt.scsi.core.CommandFlag.NO_UNIT_ATTENTION;

import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.CommandTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The SPC-4 commands jtgt implements, registered into the dispatch table. Each row's usage
 * array is the CDB USAGE DATA after the opcode (SPC-4 6.35.3); the last byte is CONTROL, of
 * which only NACA is evaluated.
 */
public final class SpcCommands {

    private SpcCommands() {}

    /** Registers the SPC commands; {@code extraVpdPages} are the command-set specific VPD pages. */
    public static void register(CommandTable.Builder b, List<VpdPage> extraVpdPages) {
        List<VpdPage> pages = new ArrayList<>();
        pages.add(IdentificationPages.serialNumber());
        pages.add(IdentificationPages.deviceIdentification());
        pages.add(ReceiveCopyResults.thirdPartyCopyPage());
        pages.addAll(extraVpdPages);
        Inquiry inquiry = new Inquiry(pages);

        // SPC-4 6.37 TEST UNIT READY: GOOD once the store is open, else NOT READY (dispatcher)
        b.add(0x00, -1, "TEST UNIT READY", new int[] {0, 0, 0, 0, 0x04}, ctx -> CommandContext.good(), NEEDS_MEDIUM);
        b.add(0x03, -1, "REQUEST SENSE", new int[] {0x01, 0, 0, 0xFF, 0x04}, RequestSense::execute,
                ANY_LUN, NO_UNIT_ATTENTION, ALLOWED_DURING_SANITIZE);
        b.add(0x12, -1, "INQUIRY", new int[] {0x01, 0xFF, 0xFF, 0xFF, 0x04}, inquiry::execute,
                ANY_LUN, NO_UNIT_ATTENTION, ALLOWED_DURING_SANITIZE);
        b.add(0x1A, -1, "MODE SENSE(6)", new int[] {0x08, 0xFF, 0xFF, 0xFF, 0x04}, ModeSense::sense6, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x5A, -1, "MODE SENSE(10)", new int[] {0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0x04}, ModeSense::sense10,
                NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0xA0, -1, "REPORT LUNS", new int[] {0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                ReportLuns::execute, ANY_LUN, NO_UNIT_ATTENTION, ALLOWED_DURING_SANITIZE);
        b.add(0x15, -1, "MODE SELECT(6)", new int[] {0x11, 0, 0, 0xFF, 0x04}, ModeSelect::select6, NEEDS_MEDIUM,
                MEDIUM_WRITE);
        b.add(0x55, -1, "MODE SELECT(10)", new int[] {0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04}, ModeSelect::select10,
                NEEDS_MEDIUM, MEDIUM_WRITE);
        // SPC-4 6.13: not NEEDS_MEDIUM, an ejected medium may be locked too
        b.add(0x1E, -1, "PREVENT ALLOW MEDIUM REMOVAL", new int[] {0, 0, 0, 0x03, 0x04},
                PreventAllowMediumRemoval::execute, MEDIUM_WRITE);
        int[] prIn = {0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x04};
        b.add(0x5E, 0x00, "PERSISTENT RESERVE IN / READ KEYS", prIn, PersistentReserveIn::readKeys,
                LEGACY_RESERVATION_EXEMPT);
        b.add(0x5E, 0x01, "PERSISTENT RESERVE IN / READ RESERVATION", prIn, PersistentReserveIn::readReservation,
                LEGACY_RESERVATION_EXEMPT);
        b.add(0x5E, 0x02, "PERSISTENT RESERVE IN / REPORT CAPABILITIES", prIn, PersistentReserveIn::reportCapabilities,
                LEGACY_RESERVATION_EXEMPT);
        b.add(0x5E, 0x03, "PERSISTENT RESERVE IN / READ FULL STATUS", prIn, PersistentReserveIn::readFullStatus,
                LEGACY_RESERVATION_EXEMPT);
        int[] prOut = {0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x04};
        for (int sa : new int[] {PersistentReserveOut.REGISTER, PersistentReserveOut.RESERVE, PersistentReserveOut.RELEASE,
            PersistentReserveOut.CLEAR, PersistentReserveOut.PREEMPT, PersistentReserveOut.REGISTER_AND_IGNORE,
            PersistentReserveOut.REGISTER_AND_MOVE}) {
            b.add(0x5F, sa, "PERSISTENT RESERVE OUT", prOut, PersistentReserveOut::execute, LEGACY_RESERVATION_EXEMPT);
        }
        // SPC-4 5.9.11.5: only where the transport can abort the preempted nexuses' tasks
        b.add(0x5F, PersistentReserveOut.PREEMPT_AND_ABORT, "PERSISTENT RESERVE OUT", prOut, PersistentReserveOut::execute,
                CommandContext::canAbortTasks, LEGACY_RESERVATION_EXEMPT);
        b.add(0x16, -1, "RESERVE(6)", new int[] {0, 0, 0, 0, 0x04}, LegacyReservations::reserve);
        b.add(0x56, -1, "RESERVE(10)", new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0x04}, LegacyReservations::reserve);
        b.add(0x17, -1, "RELEASE(6)", new int[] {0, 0, 0, 0, 0x04}, LegacyReservations::release,
                LEGACY_RESERVATION_EXEMPT);
        b.add(0x57, -1, "RELEASE(10)", new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0x04}, LegacyReservations::release,
                LEGACY_RESERVATION_EXEMPT);
        // SPC-4 6.3 EXTENDED COPY (LID1) and 6.18 RECEIVE COPY RESULTS
        b.add(0x83, 0x00, "EXTENDED COPY(LID1)", new int[] {0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                ExtendedCopy::execute, NEEDS_MEDIUM, MEDIUM_WRITE);
        int[] rcr = {0x1F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04};
        b.add(0x84, ReceiveCopyResults.COPY_STATUS, "RECEIVE COPY RESULTS / COPY STATUS", rcr,
                ReceiveCopyResults::copyStatus, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0x84, ReceiveCopyResults.OPERATING_PARAMETERS, "RECEIVE COPY RESULTS / OPERATING PARAMETERS", rcr,
                ReceiveCopyResults::operatingParameters, NEEDS_MEDIUM, MEDIUM_READ);
        b.add(0xA3, 0x0D, "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS",
                new int[] {0x1F, 0x80, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                ReportSupportedTaskManagementFunctions::execute, ANY_LUN);
        b.add(0xA3, ReportTargetPortGroups.SERVICE_ACTION, "REPORT TARGET PORT GROUPS",
                new int[] {0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04}, ReportTargetPortGroups::execute);
        b.add(0xA3, 0x0C, "REPORT SUPPORTED OPERATION CODES",
                new int[] {0x1F, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x04},
                ReportSupportedOperationCodes::execute);
    }
}
