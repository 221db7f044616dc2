package io.jtgt.backend.rbd;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.RunningPortal;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A whole target composed in-process (scsi-core + iSCSI transport on a free loopback port + this
 * backend, as itests/e2e's EmbeddedTarget composes the file backend), so real initiators can reach
 * rbd-backed LUNs. The file backend is there too, for a LUN that does not depend on Ceph.
 */
final class RbdTarget implements AutoCloseable {

    static final String IQN = "iqn.2026-11.io.jtgt:rbd-e2e";
    static final long MIB = 1L << 20;
    private static final long FIRST_DEVICE_ID = 2000;

    private final CephCluster ceph;
    final RbdBackingStoreProvider rbd = new RbdBackingStoreProvider();
    private final FileBackingStoreProvider file = new FileBackingStoreProvider();
    final ScsiTargetService service = new ScsiTargetService();
    private final Map<Integer, Long> luns = new TreeMap<>();
    private final IscsiServer server;
    private final RunningPortal portal;

    RbdTarget(CephCluster ceph) {
        this.ceph = ceph;
        service.addProvider(rbd);
        service.addProvider(file);
        server = new IscsiServer(service, TransportSettings.defaults());
        portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        service.addPortal(portal);
    }

    /** LUN {@code lun} on {@code rbd:rbd/<image>}, created with {@code size} bytes when missing. */
    RbdTarget rbdLun(int lun, String image, long size, Map<String, ?> options) {
        Map<String, Object> storage = new HashMap<>(ceph.storageOptions());
        storage.putAll(options);
        storage.put(StorageDefinition.PATH, "rbd:rbd/" + image); // the alias of ceph-rbd:
        return lun(lun, size, storage);
    }

    /** LUN {@code lun} on a sparse file. */
    RbdTarget fileLun(int lun, Path image, long size) {
        Map<String, Object> storage = new HashMap<>();
        storage.put(StorageDefinition.PATH, "file:" + image);
        return lun(lun, size, storage);
    }

    private RbdTarget lun(int lun, long size, Map<String, Object> storage) {
        long deviceId = FIRST_DEVICE_ID + lun;
        storage.put(StorageDefinition.DEVICE_ID, deviceId);
        storage.put(StorageDefinition.DEVICE_SIZE, size);
        storage.put(StorageDefinition.BLOCK_SHIFT, 9);
        storage.put(StorageDefinition.THIN_PROVISIONING, true);
        service.putStorage(StorageDefinition.fromProperties(storage));
        luns.put(lun, deviceId);
        service.putTarget(new TargetDefinition(IQN, Map.of(1, List.of(0)), Map.copyOf(luns)));
        return this;
    }

    LunView view(int lun) {
        return service.luns().stream().filter(v -> v.lun() == lun).findFirst()
                .orElseThrow(() -> new AssertionError("no LUN " + lun + " in " + service.luns()));
    }

    /** Waits (bounded) until LUN {@code lun} is ONLINE. */
    RbdTarget awaitOnline(int lun, Duration limit) throws InterruptedException {
        awaitState(lun, "ONLINE", limit);
        return this;
    }

    void awaitState(int lun, String state, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!state.equals(view(lun).state())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("LUN " + lun + " not " + state + " within " + limit + ": " + view(lun));
            }
            Thread.sleep(20);
        }
    }

    /** Waits (bounded) until LUN {@code lun} reports {@code bytes}. */
    void awaitSize(int lun, long bytes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (view(lun).sizeBytes() != bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("LUN " + lun + " not " + bytes + " bytes within " + limit + ": " + view(lun));
            }
            Thread.sleep(20);
        }
    }

    /** Waits (bounded) until {@code count} sessions are logged in. */
    void awaitSessions(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (service.sessions().size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " sessions expected: " + service.sessions());
            }
            Thread.sleep(20);
        }
    }

    String url(int lun) {
        return "iscsi://127.0.0.1:" + portal.boundAddress().getPort() + "/" + IQN + "/" + lun;
    }

    @Override
    public void close() {
        server.close();
        service.close();
        rbd.close();
        file.close();
    }

    /** An image name no earlier run or other test used. */
    static String uniqueImage(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    static Duration seconds(long s) {
        return Duration.of(s, TimeUnit.SECONDS.toChronoUnit());
    }
}
