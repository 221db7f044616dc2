package io.jtgt.scsi.core;

import java.util.Set;
import java.util.function.Predicate;

/**
 * One row of the dispatch table: everything the dispatcher and REPORT SUPPORTED OPERATION CODES
 * (SPC-4 6.35) need about a command.
 *
 * @param opcode the operation code
 * @param serviceAction the service action, or -1 for a command without one
 * @param name the command's name as the standard spells it
 * @param usageData SPC-4 6.35.3 CDB USAGE DATA: byte 0 is the opcode, every other byte has a bit
 *     set for each CDB bit the device server evaluates; its length is the CDB length. The
 *     dispatcher rejects a CDB with a bit set outside this mask (a reserved field) with INVALID
 *     FIELD IN CDB pointing at it.
 * @param flags dispatcher behaviour
 * @param handler the implementation
 * @param availability whether a given logical unit offers it
 */
public record CommandDescriptor(int opcode, int serviceAction, String name, byte[] usageData,
        Set<CommandFlag> flags, CommandHandler handler, Predicate<CommandContext> availability) {

    /**
     * Whether the command is offered for this logical unit (e.g. UNMAP only on a thin-provisioned
     * one); where it is not, it answers INVALID COMMAND OPERATION CODE and REPORT SUPPORTED
     * OPERATION CODES says "not supported".
     */
    public boolean availableFor(CommandContext ctx) {
        return availability.test(ctx);
    }

    public int cdbLength() {
        return usageData.length;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean hasServiceAction() {
        return serviceAction >= 0;
    }
}
