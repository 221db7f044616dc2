package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import java.util.concurrent.CompletableFuture;

/** An I_T nexus (SAM-5 4.7) of one target: dispatches its commands and holds its unit attentions. */
final class Nexus implements ItNexus {

    private final Target target;
    private final NexusInfo info;
    private final CommandDispatcher dispatcher;
    private final UnitAttentions unitAttentions = new UnitAttentions();
    private final IoStats stats = new IoStats();
    private volatile boolean closed;
    private final String portNames;

    Nexus(Target target, NexusInfo info, CommandTable table) {
        this.target = target;
        this.info = info;
        this.dispatcher = new CommandDispatcher(table);
        // SPC-4 7.6.4.x iSCSI port names: the I_T nexus identity reservations are kept under
        this.portNames = info.initiatorName() + ",i,0x" + String.format("%012x", info.isid()) + "|" + target.name()
                + ",t,0x" + String.format("%04x", info.tpgt() & 0xFFFF);
    }

    /** The I_T nexus identifier (initiator port name + target port name). */
    String portNames() {
        return portNames;
    }

    @Override
    public CompletableFuture<ScsiResponse> execute(ScsiCommand command) {
        CompletableFuture<ScsiResponse> response = new CompletableFuture<>();
        dispatcher.dispatch(this, command, (r, t) -> response.complete(r)); // the dispatcher never reports a failure
        return response;
    }

    @Override
    public void execute(ScsiCommand command, java.util.function.BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        dispatcher.dispatch(this, command, outcome);
    }

    @Override
    public void logicalUnitReset(long lunField) {
        target.reset(LunAddressing.decode(lunField));
    }

    @Override
    public void targetReset() {
        for (int lun : target.luns()) {
            target.reset(lun);
        }
    }

    @Override
    public void commandsClearedByAnotherInitiator(long lunField) {
        int lun = LunAddressing.decode(lunField);
        if (target.device(lun) != null) {
            unitAttentions.add(lun, SenseCode.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR); // SAM-5 7.5, TAS=0
        }
    }

    @Override
    public void close() {
        closed = true;
        target.disconnected(this);
        target.nexusLost(portNames);
    }

    boolean closed() {
        return closed;
    }

    Target target() {
        return target;
    }

    NexusInfo info() {
        return info;
    }

    /** This nexus's READ/WRITE counters over all its LUNs. */
    IoStats stats() {
        return stats;
    }

    UnitAttentions unitAttentions() {
        return unitAttentions;
    }
}
