package io.jtgt.iscsi.testing;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.ScsiTarget;
import io.jtgt.scsi.api.TargetRegistry;
import io.jtgt.scsi.config.TargetLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny in-memory target for transport tests: TEST UNIT READY, READ(10) returning a byte
 * pattern, WRITE(10) storing into a RAM disk of 512-byte blocks, and an opcode 0xC0 that never
 * completes (to test aborts). Everything else is CHECK CONDITION / INVALID COMMAND OPERATION CODE.
 */
public final class FakeRegistry implements TargetRegistry {

    public static final int BLOCK = 512;

    private final List<FakeTarget> targets = new ArrayList<>();

    public FakeRegistry add(String name, Map<Integer, List<Integer>> groups, int blocks) {
        return add(name, groups, blocks, TargetLimits.NONE);
    }

    /** A target with transport limits of its own (its io.jtgt.target keys). */
    public FakeRegistry add(String name, Map<Integer, List<Integer>> groups, int blocks, TargetLimits limits) {
        targets.add(new FakeTarget(name, groups, new byte[blocks * BLOCK], limits));
        return this;
    }

    public FakeTarget fake(String name) {
        return targets.stream().filter(t -> t.name.equals(name)).findFirst().orElseThrow();
    }

    @Override
    public Collection<ScsiTarget> allTargets() {
        return List.copyOf(targets);
    }

    @Override
    public Optional<ScsiTarget> target(String name) {
        return targets.stream().filter(t -> t.name.equals(name)).map(t -> (ScsiTarget) t).findFirst();
    }

    /** The byte READ(10) returns at an absolute disk offset before anything was written. */
    public static byte pattern(long offset) {
        return (byte) (offset * 7 + 3);
    }

    public static final class FakeTarget implements ScsiTarget {
        private final String name;
        private final Map<Integer, List<Integer>> groups;
        public final byte[] disk;
        public final List<FakeNexus> nexuses = new CopyOnWriteArrayList<>();
        private final TargetLimits limits;
        /** What {@link #numaNode()} answers: the node its (imagined) storages sit on. */
        public volatile int numaNode = -1;
        /** The thread each nexus was connected on: the connection's event loop. */
        public final List<String> connectedOn = new CopyOnWriteArrayList<>();

        FakeTarget(String name, Map<Integer, List<Integer>> groups, byte[] disk, TargetLimits limits) {
            this.name = name;
            this.groups = groups;
            this.disk = disk;
            this.limits = limits;
            for (int i = 0; i < disk.length; i++) {
                disk[i] = pattern(i);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<Integer, List<Integer>> portalGroups() {
            return groups;
        }

        @Override
        public TargetLimits limits() {
            return limits;
        }

        @Override
        public int numaNode() {
            return numaNode;
        }

        @Override
        public ItNexus connect(NexusInfo info) {
            connectedOn.add(Thread.currentThread().getName());
            FakeNexus nexus = new FakeNexus(this, info);
            nexuses.add(nexus);
            return nexus;
        }
    }

    public static final class FakeNexus implements ItNexus {
        private final FakeTarget target;
        public final NexusInfo info;
        public volatile boolean closed;
        public final List<ScsiCommand> commands = new CopyOnWriteArrayList<>();
        public final List<CompletableFuture<ScsiResponse>> hanging = new CopyOnWriteArrayList<>();
        /** LUN fields of LOGICAL UNIT RESETs, and target resets, reported to this nexus. */
        public final List<Long> lunResets = new CopyOnWriteArrayList<>();
        public volatile int targetResets;
        /** LUN fields of COMMANDS CLEARED BY ANOTHER INITIATOR reported to this nexus. */
        public final List<Long> clearedByOthers = new CopyOnWriteArrayList<>();
        /** The failure of the last receiveData, if it failed. */
        public volatile Throwable dataFailure;
        /**
         * Plays scsi-core's hot path: every outcome is declared final ({@link
         * ScsiCommand#reusableAfterOutcome()}), so the transport may reuse its command objects.
         */
        public volatile boolean declareOutcomesFinal;
        /** Each command's tag and CDB as it arrived (a reused command object changes later). */
        public final List<String> arrived = new CopyOnWriteArrayList<>();

        FakeNexus(FakeTarget target, NexusInfo info) {
            this.target = target;
            this.info = info;
        }

        @Override
        public CompletableFuture<ScsiResponse> execute(ScsiCommand command) {
            commands.add(command);
            byte[] cdb = command.cdb();
            arrived.add(command.taskTag() + ":" + java.util.HexFormat.of().formatHex(cdb));
            if (declareOutcomesFinal && (cdb[0] & 0xff) != 0xc0) {
                command.reusableAfterOutcome(); // said before the outcome, as scsi-core does
            }
            switch (cdb[0] & 0xff) {
                case 0x00:
                    return CompletableFuture.completedFuture(ScsiResponse.good());
                case 0x28: {
                    long lba = Integer.toUnsignedLong(getInt(cdb, 2));
                    int blocks = ((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff);
                    ByteBuf data = Unpooled.directBuffer(blocks * BLOCK);
                    data.writeBytes(target.disk, (int) lba * BLOCK, blocks * BLOCK);
                    command.scsiTransferLength(blocks * BLOCK);
                    return CompletableFuture.completedFuture(ScsiResponse.good(data));
                }
                case 0x2a: {
                    long lba = Integer.toUnsignedLong(getInt(cdb, 2));
                    int blocks = ((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff);
                    command.scsiTransferLength(blocks * BLOCK);
                    return command.receiveData(blocks * BLOCK).handle((data, error) -> {
                        if (error != null) {
                            dataFailure = error;
                            return ScsiResponse.checkCondition(sense(0x05, 0x24, 0x00));
                        }
                        try {
                            data.getBytes(data.readerIndex(), target.disk, (int) lba * BLOCK, data.readableBytes());
                        } finally {
                            data.release();
                        }
                        return ScsiResponse.good();
                    });
                }
                case 0xc0: {
                    CompletableFuture<ScsiResponse> never = new CompletableFuture<>();
                    hanging.add(never);
                    return never;
                }
                default:
                    return CompletableFuture.completedFuture(ScsiResponse.checkCondition(sense(0x05, 0x20, 0x00)));
            }
        }

        @Override
        public void logicalUnitReset(long lunField) {
            lunResets.add(lunField);
        }

        @Override
        public void commandsClearedByAnotherInitiator(long lunField) {
            clearedByOthers.add(lunField);
        }

        @Override
        public void targetReset() {
            targetResets++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    public static byte[] sense(int key, int asc, int ascq) {
        byte[] sense = new byte[18];
        sense[0] = 0x70;
        sense[2] = (byte) key;
        sense[7] = 10;
        sense[12] = (byte) asc;
        sense[13] = (byte) ascq;
        return sense;
    }

    private static int getInt(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
