package io.jtgt.shell;

import io.jtgt.shell.completers.DeviceIdCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:storage-online}: sets the storage's {@code online} property. */
@Service
@Command(scope = "jtgt", name = "storage-online", description = "Takes a storage online"
        + " (its LUNs become ready)")
public class StorageOnline extends AdminCommand {

    @Argument(index = 0, name = "DEVICE-ID", required = true, description = "The storage's deviceID")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected void run(PrintStream out) {
        long id = deviceId(deviceId);
        admin.setStorageOnline(id, true);
        out.println("Storage " + id + " online");
    }
}
