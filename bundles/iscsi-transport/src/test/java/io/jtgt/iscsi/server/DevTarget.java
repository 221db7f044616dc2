package io.jtgt.iscsi.server;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A target to run by hand against real initiators while working on the transport:
 *
 * <pre>
 * mvn -q -o -pl bundles/iscsi-transport test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp bundles/iscsi-transport/target/test-classes:bundles/iscsi-transport/target/classes:$(cat bundles/iscsi-transport/target/cp.txt) \
 *      io.jtgt.iscsi.server.DevTarget PORT IMAGE SIZE_MIB [NOP_IN_SECONDS]
 * </pre>
 *
 * Serves {@code iqn.2026-11.io.jtgt:dev} LUN 0 from IMAGE (created sparse) on 127.0.0.1:PORT.
 * With {@code JTGT_DEV_CHAP=user:secret} in the environment the target requires CHAP
 * ({@code iscsi://user%secret@127.0.0.1:PORT/iqn.2026-11.io.jtgt:dev/0}).
 */
public final class DevTarget {

    private DevTarget() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path image = Path.of(args[1]);
        long size = Long.parseLong(args[2]) << 20;
        int nopIn = args.length > 3 ? Integer.parseInt(args[3]) : TransportSettings.DEFAULT_NOP_IN_INTERVAL;
        FileBackingStoreProvider files = new FileBackingStoreProvider();
        ScsiTargetService service = new ScsiTargetService();
        service.addProvider(files);
        service.putStorage(StorageDefinition.fromProperties(Map.of(StorageDefinition.DEVICE_ID, 1000L,
                StorageDefinition.PATH, "file:" + image.toAbsolutePath(), StorageDefinition.DEVICE_SIZE, size,
                StorageDefinition.THIN_PROVISIONING, true)));
        service.putTarget(new TargetDefinition("iqn.2026-11.io.jtgt:dev", Map.of(1, List.of(0)), Map.of(0, 1000L)));
        TransportSettings d = TransportSettings.defaults();
        io.jtgt.iscsi.auth.AccessRules rules = new io.jtgt.iscsi.auth.AccessRules();
        String chap = System.getenv("JTGT_DEV_CHAP");
        if (chap != null && chap.indexOf(':') > 0) {
            rules.put("dev", io.jtgt.iscsi.auth.AccessRule.fromProperties(Map.of("target", "iqn.2026-11.io.jtgt:dev",
                    "userName", chap.substring(0, chap.indexOf(':')), "secret", chap.substring(chap.indexOf(':') + 1))));
        }
        IscsiServer server = new IscsiServer(service, d.withNopInInterval(nopIn), rules);
        RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", port));
        service.addPortal(portal);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            service.close();
            files.close();
        }));
        System.out.println("iscsi://127.0.0.1:" + portal.boundAddress().getPort() + "/iqn.2026-11.io.jtgt:dev/0");
        Thread.currentThread().join();
    }
}
