package io.jtgt.shell;

import io.jtgt.shell.completers.DeviceIdCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:storage-offline}: sets the storage's {@code online} property. */
@Service
@Command(scope = "jtgt", name = "storage-offline", description = "Takes a storage offline"
        + " (its LUNs stay and answer NOT READY)")
public class StorageOffline extends AdminCommand {

    @Argument(index = 0, name = "DEVICE-ID", required = true, description = "The storage's deviceID")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected void run(PrintStream out) {
        long id = deviceId(deviceId);
        admin.setStorageOnline(id, false);
        out.println("Storage " + id + " offline");
    }
}
