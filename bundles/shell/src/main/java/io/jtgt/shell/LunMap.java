package io.jtgt.shell;

import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.shell.completers.DeviceIdCompleter;
import io.jtgt.shell.completers.TargetNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:lun-map}: LUN number of a target to an existing storage. */
@Service
@Command(scope = "jtgt", name = "lun-map", description = "Maps a LUN of a target to an existing storage")
public class LunMap extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name")
    @Completion(TargetNameCompleter.class)
    String target;

    @Argument(index = 1, name = "LUN", required = true, description = "The LUN number, 0..16383")
    String lun;

    @Argument(index = 2, name = "DEVICE-ID", required = true, description = "The storage's deviceID")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected void run(PrintStream out) {
        int number = intNumber("LUN", lun, 0, TargetDefinition.MAX_LUN);
        long id = deviceId(deviceId);
        admin.mapLun(target, number, id);
        out.println("LUN " + number + " of " + target + " mapped to storage " + id);
    }
}
