package io.jtgt.shell;

import io.jtgt.shell.completers.DeviceIdCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:storage-remove}: refuses while a LUN maps to the storage, unless forced. */
@Service
@Command(scope = "jtgt", name = "storage-remove", description = "Removes a storage; refused while a LUN maps to it "
        + "unless --force (which unmaps those LUNs first). The device itself (file, image) is kept")
public class StorageRemove extends AdminCommand {

    @Argument(index = 0, name = "DEVICE-ID", required = true, description = "The storage's deviceID")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "-f", aliases = "--force", description = "Unmap the LUNs that use it, then remove it")
    boolean force;

    @Override
    protected void run(PrintStream out) {
        long id = deviceId(deviceId);
        admin.removeStorage(id, force);
        out.println("Storage " + id + " removed");
    }
}
