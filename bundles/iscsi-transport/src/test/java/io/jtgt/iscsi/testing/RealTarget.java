package io.jtgt.iscsi.testing;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.RunningPortal;
import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiTarget;
import io.jtgt.scsi.api.TargetRegistry;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real target (scsi-core + file backend + {@link IscsiServer}) on a free 127.0.0.1 port, for
 * tests that drive real initiators (libiscsi tools, qemu-io). Records every I_T nexus it opens,
 * so a test can read the parameters a session negotiated after the initiator is gone.
 */
public final class RealTarget implements AutoCloseable {

    public static final String IQN = "iqn.2026-11.io.jtgt:real";
    public static final String OTHER_IQN = "iqn.2026-11.io.jtgt:other";
    private static final long SIZE = 16L << 20;

    private final FileBackingStoreProvider files = new FileBackingStoreProvider();
    private final ScsiTargetService service = new ScsiTargetService();
    private final IscsiServer server;
    private final RunningPortal portal;
    /** Every nexus opened, in order. */
    public final List<NexusInfo> nexuses = new CopyOnWriteArrayList<>();
    /** READ(10)/READ(16) commands the SCSI layer answered, on any nexus: an initiator's open is done. */
    public final java.util.concurrent.atomic.AtomicInteger readsAnswered = new java.util.concurrent.atomic.AtomicInteger();

    /** @param serverFactory builds the server on the given registry (settings, access rules) */
    public RealTarget(Path dir, Function<TargetRegistry, IscsiServer> serverFactory) {
        service.addProvider(files);
        IscsiServer created = null;
        try {
            service.putStorage(StorageDefinition.fromProperties(Map.of(StorageDefinition.DEVICE_ID, 1000L,
                    StorageDefinition.PATH, "file:" + dir.resolve("lun0.img").toAbsolutePath(),
                    StorageDefinition.DEVICE_SIZE, SIZE, StorageDefinition.THIN_PROVISIONING, true)));
            service.putStorage(StorageDefinition.fromProperties(Map.of(StorageDefinition.DEVICE_ID, 1001L,
                    StorageDefinition.PATH, "file:" + dir.resolve("lun1.img").toAbsolutePath(),
                    StorageDefinition.DEVICE_SIZE, SIZE, StorageDefinition.THIN_PROVISIONING, true)));
            service.putTarget(new TargetDefinition(IQN, Map.of(1, List.of(0)), Map.of(0, 1000L)));
            service.putTarget(new TargetDefinition(OTHER_IQN, Map.of(1, List.of(0)), Map.of(0, 1001L)));
            awaitOnline();
            created = serverFactory.apply(new Recording());
            portal = created.bind(new PortalDefinition(0, "127.0.0.1", 0));
            service.addPortal(portal);
        } catch (RuntimeException | Error e) {
            if (created != null) {
                created.close();
            }
            service.close();
            files.close();
            throw e;
        }
        server = created;
    }

    private void awaitOnline() {
        for (int i = 0; i < 500; i++) {
            if (service.luns().size() == 2 && service.luns().stream().allMatch(v -> "ONLINE".equals(v.state()))) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("LUNs not online: " + service.luns());
    }

    /** Gives target {@code iqn} (IQN or OTHER_IQN) transport limits of its own, for the next logins. */
    public void limit(String iqn, io.jtgt.scsi.config.TargetLimits limits) {
        service.putTarget(new TargetDefinition(iqn, Map.of(1, List.of(0)), Map.of(0, iqn.equals(IQN) ? 1000L : 1001L),
                limits));
    }

    /** The negotiated parameters of the last session logged in to {@code iqn}. */
    public Map<String, String> lastParameters(String iqn) {
        for (int i = nexuses.size() - 1; i >= 0; i--) {
            NexusInfo info = nexuses.get(i);
            if (info.portalAddress() != null && targetOf.get(info) != null && targetOf.get(info).equals(iqn)) {
                return info.parameters().get();
            }
        }
        throw new AssertionError("no session of " + iqn);
    }

    private final Map<NexusInfo, String> targetOf = new java.util.concurrent.ConcurrentHashMap<>();

    public int port() {
        return portal.boundAddress().getPort();
    }

    public IscsiServer server() {
        return server;
    }

    public ScsiTargetService service() {
        return service;
    }

    /** {@code iscsi://[user%secret@]127.0.0.1:port/iqn/lun} */
    public String url(String credentials, String iqn, int lun) {
        return "iscsi://" + (credentials == null ? "" : credentials + "@") + "127.0.0.1:" + port() + "/" + iqn + "/"
                + lun;
    }

    /** The result of running an initiator tool. */
    public record Run(int exitCode, String output) {}

    /**
     * Runs a real initiator tool (at most 60 s). A missing tool fails the test: these tests exist
     * to be judged by real initiators.
     */
    public static Run run(Map<String, String> env, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (is it installed?): " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a real initiator tool in the background; the caller destroys it. */
    public static Process start(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (is it installed?): " + e.getMessage(), e);
        }
    }

    public static Run run(String... command) {
        return run(Map.of(), command);
    }

    @Override
    public void close() {
        server.close();
        service.close();
        files.close();
    }

    /** The registry as the server sees it, recording each nexus. */
    private final class Recording implements TargetRegistry {

        @Override
        public Collection<ScsiTarget> allTargets() {
            List<ScsiTarget> all = new ArrayList<>();
            for (ScsiTarget target : service.allTargets()) {
                all.add(wrap(target));
            }
            return all;
        }

        @Override
        public Optional<ScsiTarget> target(String name) {
            return service.target(name).map(this::wrap);
        }

        private ScsiTarget wrap(ScsiTarget target) {
            return new ScsiTarget() {
                @Override
                public String name() {
                    return target.name();
                }

                @Override
                public Map<Integer, List<Integer>> portalGroups() {
                    return target.portalGroups();
                }

                @Override
                public io.jtgt.scsi.config.TargetLimits limits() {
                    return target.limits();
                }

                @Override
                public ItNexus connect(NexusInfo info) {
                    targetOf.put(info, target.name());
                    nexuses.add(info);
                    return counting(target.connect(info));
                }
            };
        }

        private ItNexus counting(ItNexus nexus) {
            return new ItNexus() {
                @Override
                public java.util.concurrent.CompletableFuture<io.jtgt.scsi.api.ScsiResponse> execute(
                        io.jtgt.scsi.api.ScsiCommand command) {
                    int opcode = command.cdb()[0] & 0xFF;
                    return nexus.execute(command).whenComplete((response, error) -> {
                        if (response != null && (opcode == 0x28 || opcode == 0x88)) {
                            readsAnswered.incrementAndGet();
                        }
                    });
                }

                @Override
                public void logicalUnitReset(long lunField) {
                    nexus.logicalUnitReset(lunField);
                }

                @Override
                public void targetReset() {
                    nexus.targetReset();
                }

                @Override
                public void commandsClearedByAnotherInitiator(long lunField) {
                    nexus.commandsClearedByAnotherInitiator(lunField);
                }

                @Override
                public void close() {
                    nexus.close();
                }
            };
        }
    }
}
