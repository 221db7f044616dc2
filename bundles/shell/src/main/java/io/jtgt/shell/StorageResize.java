package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.shell.completers.DeviceIdCompleter;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jtgt:storage-resize}: grows a storage (its {@code deviceSize}); the running store grows in
 * place and initiators get CAPACITY DATA HAS CHANGED. Shrinking is refused before anything is
 * written, against both the configured deviceSize and the live size of the store. Waits (at most
 * {@link #WAIT_MILLIS}) until the LUNs show the new size, so the answer says what happened.
 */
@Service
@Command(scope = "jtgt", name = "storage-resize", description = "Grows a storage; initiators see CAPACITY DATA HAS"
        + " CHANGED and the new size in READ CAPACITY. Shrinking is refused")
public class StorageResize extends AdminCommand {

    static final long WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 50;

    @Reference
    ManagementService management;

    @Argument(index = 0, name = "DEVICE-ID", required = true, description = "The storage's deviceID")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "SIZE", required = true, description = "The new size in bytes, or with a unit: 2G, 1536M")
    String size;

    @Override
    protected void run(PrintStream out) throws InterruptedException {
        long id = deviceId(deviceId);
        long newSize = size("SIZE", size);
        for (LunView lun : luns(id)) {
            if ("ONLINE".equals(lun.state()) && lun.sizeBytes() > newSize) {
                throw new IllegalArgumentException("SIZE: " + newSize + " bytes is smaller than storage " + id
                        + "'s current " + lun.sizeBytes() + " bytes; shrinking a LUN is refused");
            }
        }
        admin.resizeStorage(id, newSize);
        List<LunView> online = List.of();
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (true) {
            online = luns(id).stream().filter(l -> "ONLINE".equals(l.state())).toList();
            boolean done = online.stream().allMatch(l -> l.sizeBytes() == newSize);
            if (done || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        if (online.isEmpty()) {
            out.println("Storage " + id + ": deviceSize set to " + Format.bytes(newSize)
                    + "; no LUN of it is online, the size applies when it is");
            return;
        }
        LunView shown = online.get(0);
        if (shown.sizeBytes() == newSize) {
            out.println("Storage " + id + " resized to " + Format.bytes(newSize) + " (" + newSize
                    + " bytes); its initiators get CAPACITY DATA HAS CHANGED");
        } else {
            throw new IllegalStateException("storage " + id + ": deviceSize set to " + newSize + " but the LUN still has "
                    + shown.sizeBytes() + " bytes" + (shown.detail().isEmpty() ? "" : ": " + shown.detail()));
        }
    }

    private List<LunView> luns(long id) {
        return management.luns().stream().filter(l -> l.deviceId() == id).toList();
    }
}
