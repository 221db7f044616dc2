package io.jtgt.shell;

import io.jtgt.scsi.config.StorageDefinition;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:storage-create}: a storage object (the backing store of LUNs), gotgt {@code storages}. */
@Service
@Command(scope = "jtgt", name = "storage-create", description = "Creates a storage (a LUN's backing store): "
        + "deviceID and path (file:/abs/path.img, /abs/path.img, s3:bucket/prefix, ceph-rbd:pool/image)")
public class StorageCreate extends AdminCommand {

    @Argument(index = 0, name = "DEVICE-ID", required = true, description = "The storage's deviceID (LUNs map to it)")
    String deviceId;

    @Argument(index = 1, name = "PATH", required = true, description = "file:/abs/path.img, /abs/path.img, "
            + "s3:bucket/prefix or ceph-rbd:pool/image")
    String path;

    @Option(name = "-s", aliases = "--size", description = "Size to create a missing device with: bytes, or 512M, 1G, 2T")
    String size;

    @Option(name = "-t", aliases = "--backend-type", description = "Backend type (default: the path's type prefix, else file)")
    String backendType;

    @Option(name = "-b", aliases = "--block-shift", description = "log2 of the block size: 9 (512 B, default) .. 12 (4 KiB)")
    String blockShift;

    @Option(name = "--thin", description = "Thin provisioning: create sparse, allow UNMAP")
    boolean thin;

    @Option(name = "--offline", description = "Create it offline (its LUNs answer NOT READY until storage-online)")
    boolean offline;

    @Option(name = "-o", aliases = "--option", multiValued = true,
            description = "KEY=VALUE: a backend option or another storage property (readOnly=true, removable=true, ...)")
    List<String> options;

    @Override
    protected void run(PrintStream out) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (options != null) {
            for (String option : options) {
                int eq = option.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--option: '" + option + "' is not KEY=VALUE");
                }
                props.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
            }
        }
        props.put(StorageDefinition.DEVICE_ID, deviceId(deviceId));
        props.put(StorageDefinition.PATH, path);
        if (size != null) {
            props.put(StorageDefinition.DEVICE_SIZE, size("--size", size));
        }
        if (backendType != null) {
            props.put(StorageDefinition.BACKEND_TYPE, backendType);
        }
        if (blockShift != null) {
            props.put(StorageDefinition.BLOCK_SHIFT, intNumber("--block-shift", blockShift, 0, 64));
        }
        if (thin) {
            props.put(StorageDefinition.THIN_PROVISIONING, true);
        }
        if (offline) {
            props.put(StorageDefinition.ONLINE, false);
        }
        StorageDefinition storage = admin.createStorage(props);
        out.println("Storage " + storage.deviceId() + " created: " + storage.backendType() + " " + storage.location()
                + (storage.deviceSize() > 0 ? ", " + Format.bytes(storage.deviceSize()) : "")
                + ", " + storage.blockSize() + "-byte blocks" + (storage.thinProvisioning() ? ", thin" : "")
                + (storage.online() ? "" : ", offline"));
    }
}
