package io.jtgt.itests.e2e;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.RunningPortal;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A complete jtgt target composed in-process with plain Java, the way an embedding program
 * would: scsi-core's {@link ScsiTargetService}, the file backend, and the iSCSI transport
 * listening on a free loopback port. Its image files live in a fresh folder that {@link #close()}
 * deletes.
 *
 * <pre>{@code
 * try (EmbeddedTarget target = EmbeddedTarget.builder().lun(0, Lun.thin(256 * MIB)).start()) {
 *     String url = target.url(0); // iscsi://127.0.0.1:PORT/IQN/0
 * }
 * }</pre>
 */
public final class EmbeddedTarget implements AutoCloseable {

    public static final String DEFAULT_TARGET_NAME = "iqn.2026-11.io.jtgt:e2e";
    public static final long MIB = 1L << 20;
    private static final int TPGT = 1;
    private static final Duration LUN_ONLINE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * One LUN's storage: a file created sparse ({@code thinProvisioning}) or fully allocated.
     *
     * @param extraProperties further {@code io.jtgt.storage} properties (backend options, {@code online}, ...)
     */
    public record Lun(long sizeBytes, int blockShift, boolean thinProvisioning, Map<String, Object> extraProperties) {

        public static Lun thin(long sizeBytes) {
            return new Lun(sizeBytes, 9, true, Map.of());
        }

        public static Lun thick(long sizeBytes) {
            return new Lun(sizeBytes, 9, false, Map.of());
        }

        public Lun withBlockShift(int shift) {
            return new Lun(sizeBytes, shift, thinProvisioning, extraProperties);
        }

        public Lun with(String property, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(extraProperties);
            more.put(property, value);
            return new Lun(sizeBytes, blockShift, thinProvisioning, more);
        }

        public int blockSize() {
            return 1 << blockShift;
        }

        /** {@code readOnly=true}: the target must not write, so the fixture creates the image beforehand. */
        boolean readOnly() {
            return "true".equalsIgnoreCase(String.valueOf(extraProperties.get("readOnly")));
        }
    }

    /** What to start; every setter returns the builder. */
    public static final class Builder {
        private String targetName = DEFAULT_TARGET_NAME;
        private final Map<Integer, Lun> luns = new TreeMap<>();
        private String host = "127.0.0.1";
        private int port = 0;
        private int portalCount = 1;
        private int portalGroupCount = 1;
        private boolean backendInstalled = true;
        private final List<BackingStoreProvider> otherBackends = new ArrayList<>();

        public Builder targetName(String name) {
            this.targetName = name;
            return this;
        }

        public Builder lun(int lun, Lun storage) {
            luns.put(lun, storage);
            return this;
        }

        /** Port 0 (default) binds a free port. */
        /** The address the portals listen on: 127.0.0.1 unless given, e.g. {@code ::1}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Listens on {@code count} loopback portals (ids 0..count-1, free ports) in the same target
         * portal group, so that an initiator can reach each LUN by several paths (multipath I/O).
         */
        public Builder portals(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("at least one portal, not " + count);
            }
            this.portalCount = count;
            return this;
        }

        /**
         * Spreads the portals over {@code count} target portal groups (tags 1..count, the first
         * groups getting the extra portals): paths through different iSCSI target ports, each its
         * own ALUA target port group.
         */
        public Builder portalGroups(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("at least one portal group, not " + count);
            }
            this.portalGroupCount = count;
            return this;
        }

        /**
         * Registers another backend too (e.g. s3), for LUNs whose {@code path} names its type
         * ({@link Lun#with} {@code "path"}); the caller closes it after the target.
         */
        public Builder backend(BackingStoreProvider provider) {
            otherBackends.add(provider);
            return this;
        }

        /** Starts with no file backend registered: the LUNs exist but are NOT READY until {@link #installBackend()}. */
        public Builder withoutBackend() {
            this.backendInstalled = false;
            return this;
        }

        public EmbeddedTarget start() {
            if (luns.isEmpty()) {
                luns.put(0, Lun.thin(256 * MIB));
            }
            return new EmbeddedTarget(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final String targetName;
    private final Map<Integer, Lun> luns;
    private final Map<Integer, Path> images = new TreeMap<>();
    private final Path dir;
    private final FileBackingStoreProvider fileBackend;
    private final ScsiTargetService service;
    private IscsiServer server;
    private final List<RunningPortal> portals = new ArrayList<>();

    private EmbeddedTarget(Builder builder) {
        this.targetName = builder.targetName;
        this.luns = Map.copyOf(builder.luns);
        try {
            this.dir = Files.createTempDirectory(E2eDirs.workDir(), "target-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.fileBackend = new FileBackingStoreProvider();
        this.service = new ScsiTargetService();
        try {
            if (builder.backendInstalled) {
                service.addProvider(fileBackend);
            }
            builder.otherBackends.forEach(service::addProvider);
            Map<Integer, Long> lunToDevice = new TreeMap<>();
            for (Map.Entry<Integer, Lun> entry : new TreeMap<>(luns).entrySet()) {
                long deviceId = 1000L + entry.getKey();
                Path image = dir.resolve("lun" + entry.getKey() + ".img");
                images.put(entry.getKey(), image);
                if (entry.getValue().readOnly()) {
                    createSparse(image, entry.getValue().sizeBytes());
                }
                service.putStorage(StorageDefinition.fromProperties(storageProperties(deviceId, image, entry.getValue())));
                lunToDevice.put(entry.getKey(), deviceId);
            }
            List<Integer> portalIds = new ArrayList<>();
            Map<Integer, List<Integer>> groups = new TreeMap<>();
            for (int id = 0; id < builder.portalCount; id++) {
                portalIds.add(id);
                int tag = TPGT + id * Math.min(builder.portalGroupCount, builder.portalCount) / builder.portalCount;
                groups.computeIfAbsent(tag, t -> new ArrayList<>()).add(id);
            }
            service.putTarget(new TargetDefinition(targetName, groups, lunToDevice));
            awaitLunState(builder.backendInstalled ? "ONLINE" : "NO_BACKEND");
            server = new IscsiServer(service, TransportSettings.defaults());
            for (int id : portalIds) {
                // A fixed port can serve only the first portal; the others take free ports.
                RunningPortal portal = server.bind(new PortalDefinition(id, builder.host, id == 0 ? builder.port : 0));
                portals.add(portal);
                service.addPortal(portal);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** An image an administrator would have prepared: sparse, all zeros. */
    private static void createSparse(Path image, long size) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> storageProperties(long deviceId, Path image, Lun lun) {
        Map<String, Object> props = new HashMap<>();
        props.put(StorageDefinition.DEVICE_ID, deviceId);
        props.put(StorageDefinition.PATH, "file:" + image);
        props.put(StorageDefinition.BLOCK_SHIFT, lun.blockShift());
        props.put(StorageDefinition.DEVICE_SIZE, lun.sizeBytes());
        props.put(StorageDefinition.THIN_PROVISIONING, lun.thinProvisioning());
        props.putAll(lun.extraProperties());
        return props;
    }

    /** Registers the file backend, as installing its bundle would; returns once every LUN is ONLINE. */
    public void installBackend() {
        service.addProvider(fileBackend);
        awaitLunState("ONLINE");
    }

    /** Unregisters the file backend, as uninstalling its bundle would; returns once every LUN is NO_BACKEND. */
    public void removeBackend() {
        service.removeProvider(fileBackend);
        awaitLunState("NO_BACKEND");
    }

    /** LUN views of this target, as management sees them. */
    public List<LunView> lunViews() {
        return service.luns().stream().filter(v -> v.target().equals(targetName)).toList();
    }

    /** Storage opens asynchronously; tests want every LUN in {@code state} before going on. */
    private void awaitLunState(String state) {
        long deadline = System.nanoTime() + LUN_ONLINE_TIMEOUT.toNanos();
        List<LunView> views = List.of();
        while (System.nanoTime() < deadline) {
            views = lunViews();
            if (views.size() == luns.size() && views.stream().allMatch(v -> state.equals(v.state()))) {
                return;
            }
            if (!state.equals("FAILED") && views.stream().anyMatch(v -> "FAILED".equals(v.state()))) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("LUNs of " + targetName + " did not reach " + state + " within "
                + LUN_ONLINE_TIMEOUT + ": " + views);
    }

    public String targetName() {
        return targetName;
    }

    public String host() {
        return portals.get(0).boundAddress().getAddress().getHostAddress();
    }

    public int port() {
        return portals.get(0).boundAddress().getPort();
    }

    /** {@code iscsi://127.0.0.1:PORT} of the first portal, for discovery. */
    public String portalUrl() {
        return portalUrl(0);
    }

    /**
     * {@code iscsi://127.0.0.1:PORT} (or {@code iscsi://[::1]:PORT}, RFC 3986 3.2.2) of portal
     * {@code index} (see {@link Builder#portals(int)}).
     */
    public String portalUrl(int index) {
        RunningPortal portal = portals.get(index);
        java.net.InetAddress address = portal.boundAddress().getAddress();
        String host = address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "iscsi://" + host + ":" + portal.boundAddress().getPort();
    }

    /** {@code iscsi://127.0.0.1:PORT/IQN/LUN}, the form libiscsi and QEMU take. */
    public String url(int lun) {
        return url(lun, 0);
    }

    /** The URL of {@code lun} through portal {@code portalIndex}: another path to the same LUN. */
    public String url(int lun, int portalIndex) {
        return portalUrl(portalIndex) + "/" + targetName + "/" + lun;
    }

    public Lun lun(int lun) {
        return luns.get(lun);
    }

    /** The image file behind a LUN, to check what reached the disk. */
    public Path image(int lun) {
        return images.get(lun);
    }

    public ScsiTargetService service() {
        return service;
    }

    /** Stops listening, ends sessions, closes the storage and deletes the image files. */
    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (RunningPortal portal : portals) {
            run(failures, () -> service.removePortal(portal));
        }
        run(failures, () -> {
            if (server != null) {
                server.close();
            }
        });
        run(failures, service::close);
        run(failures, fileBackend::close);
        run(failures, this::deleteImages);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the embedded target failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void run(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }

    private void deleteImages() {
        if (!Files.exists(dir)) {
            return; // someone cleaned the temp folder already
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedTarget[" + (portals.isEmpty() ? "not listening" : url(0)) + ", luns=" + luns + "]";
    }
}
