package io.jtgt.scsi.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one dispatch table, keyed by opcode and service action. Command sets (SPC, SBC) register
 * their rows; REPORT SUPPORTED OPERATION CODES reads the same rows.
 */
public final class CommandTable {

    /** Service actions the hot lookup tells apart: the 5-bit field of byte 1 (SPC-4 4.2.5.1). */
    private static final int SERVICE_ACTIONS = 32;

    private final Map<Integer, CommandDescriptor> byKey;
    private final Set<Integer> serviceActionOpcodes;
    /** What {@link #lookup} reads for every command: arrays, no boxed key per CDB. */
    private final CommandDescriptor[] byOpcode = new CommandDescriptor[256];
    private final CommandDescriptor[][] byServiceAction = new CommandDescriptor[256][];

    private CommandTable(Map<Integer, CommandDescriptor> byKey, Set<Integer> serviceActionOpcodes) {
        this.byKey = byKey;
        this.serviceActionOpcodes = serviceActionOpcodes;
        serviceActionOpcodes.forEach(op -> byServiceAction[op] = new CommandDescriptor[SERVICE_ACTIONS]);
        for (CommandDescriptor d : byKey.values()) {
            int op = d.opcode();
            if (!d.hasServiceAction()) {
                byOpcode[op] = d;
            } else if (d.serviceAction() < SERVICE_ACTIONS) {
                byServiceAction[op][d.serviceAction()] = d;
            }
        }
    }

    private static int key(int opcode, int serviceAction) {
        return (opcode << 16) | (serviceAction & 0xFFFF);
    }

    /** The row for this CDB; throws the CHECK CONDITION SPC-4 prescribes when there is none. */
    public CommandDescriptor lookup(byte[] cdb) {
        int opcode = cdb[0] & 0xFF;
        CommandDescriptor[] actions = byServiceAction[opcode];
        if (actions != null) {
            CommandDescriptor d = actions[cdb.length > 1 ? cdb[1] & 0x1F : 0];
            if (d == null) {
                // SPC-4 4.3.4.2: an unsupported service action of a supported opcode is a bad CDB field
                throw ScsiException.invalidCdbField(1, 4);
            }
            return d;
        }
        CommandDescriptor d = byOpcode[opcode];
        if (d == null) {
            throw new ScsiException(SenseCode.INVALID_COMMAND_OPERATION_CODE);
        }
        return d;
    }

    /** The row for an opcode (and service action, or -1), or null. */
    public CommandDescriptor find(int opcode, int serviceAction) {
        return byKey.get(key(opcode, serviceActionOpcodes.contains(opcode) ? serviceAction : -1));
    }

    /** Whether commands with this opcode are told apart by a service action. */
    public boolean hasServiceActions(int opcode) {
        return serviceActionOpcodes.contains(opcode);
    }

    /** Every row, in opcode then service action order. */
    public List<CommandDescriptor> all() {
        return Collections.unmodifiableList(new ArrayList<>(byKey.values()));
    }

    /** The table with every command jtgt implements. */
    public static CommandTable standard() {
        Builder b = new Builder();
        io.jtgt.scsi.core.spc.SpcCommands.register(b, io.jtgt.scsi.core.sbc.SbcCommands.vpdPages());
        io.jtgt.scsi.core.sbc.SbcCommands.register(b);
        return b.build();
    }

    /** Collects rows; refuses duplicates. */
    public static final class Builder {
        private final Map<Integer, CommandDescriptor> rows = new TreeMap<>();
        private final Set<Integer> serviceActionOpcodes = new HashSet<>();

        /**
         * Adds a row. {@code usage} lists the CDB USAGE DATA bytes after the opcode (so the CDB
         * length is {@code usage.length + 1}).
         */
        public Builder add(int opcode, int serviceAction, String name, int[] usage, CommandHandler handler,
                CommandFlag... flags) {
            return add(opcode, serviceAction, name, usage, handler, ctx -> true, flags);
        }

        /** Adds a row offered only where {@code availability} holds. */
        public Builder add(int opcode, int serviceAction, String name, int[] usage, CommandHandler handler,
                java.util.function.Predicate<CommandContext> availability, CommandFlag... flags) {
            byte[] usageData = new byte[usage.length + 1];
            usageData[0] = (byte) opcode;
            for (int i = 0; i < usage.length; i++) {
                usageData[i + 1] = (byte) usage[i];
            }
            EnumSet<CommandFlag> set = EnumSet.noneOf(CommandFlag.class);
            Collections.addAll(set, flags);
            CommandDescriptor d = new CommandDescriptor(opcode, serviceAction, name, usageData,
                    Collections.unmodifiableSet(set), handler, availability);
            if (rows.putIfAbsent(key(opcode, serviceAction), d) != null) {
                throw new IllegalStateException("command registered twice: " + name);
            }
            if (serviceAction >= 0) {
                serviceActionOpcodes.add(opcode);
            }
            return this;
        }

        public CommandTable build() {
            for (CommandDescriptor d : rows.values()) {
                if (serviceActionOpcodes.contains(d.opcode()) && !d.hasServiceAction()) {
                    throw new IllegalStateException(d.name() + ": opcode mixes rows with and without service action");
                }
            }
            return new CommandTable(Collections.unmodifiableMap(new TreeMap<>(rows)), Set.copyOf(serviceActionOpcodes));
        }
    }
}
