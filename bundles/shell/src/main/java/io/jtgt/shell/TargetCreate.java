package io.jtgt.shell;

import io.jtgt.scsi.config.TargetDefinition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:target-create}: a target without LUNs (map them with lun-map). */
@Service
@Command(scope = "jtgt", name = "target-create", description = "Creates an iSCSI target without LUNs; without "
        + "--portal-group it gets portal group 1 with every configured portal")
public class TargetCreate extends AdminCommand {

    @Argument(index = 0, name = "NAME", required = true, description = "The target's iSCSI name, e.g. iqn.2026-11.io.jtgt:disk1")
    String name;

    @Option(name = "-g", aliases = "--portal-group", multiValued = true,
            description = "TAG=ID[,ID...]: target portal group TAG with these portal ids (repeatable)")
    List<String> portalGroups;

    @Override
    protected void run(PrintStream out) {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        if (portalGroups != null) {
            for (String group : portalGroups) {
                int eq = group.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--portal-group: '" + group + "' is not TAG=ID[,ID...]");
                }
                int tag = intNumber("--portal-group TAG", group.substring(0, eq), 1, 65535);
                List<Integer> ids = new ArrayList<>();
                for (String id : group.substring(eq + 1).split(",")) {
                    ids.add(intNumber("--portal-group ID", id, 0, 65535));
                }
                groups.put(tag, ids);
            }
        }
        TargetDefinition target = admin.createTarget(name, groups);
        out.println("Target " + target.name() + " created, portal groups " + Format.portalGroups(target.portalGroups()));
    }
}
