package io.jtgt.admin.osgi;

import io.jtgt.admin.ConfigAdminService;
import io.jtgt.scsi.api.AccessRulesInForce;
import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers {@link ConfigAdminService} as the {@link AdminService} of this framework, writing new
 * configurations into the folder Felix file install watches (Karaf's etc/), so they survive a
 * restart and can be edited there; the running target's sessions tell which LUNs are in use, and
 * the transport's rules in force when an access change is obeyed.
 */
@Component(service = AdminService.class)
public class AdminComponent extends ConfigAdminService {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessRulesInForce transportRules;

    @Activate
    public AdminComponent(@Reference ConfigurationAdmin configAdmin, @Reference ManagementService running,
            BundleContext context) {
        super(configAdmin, etcDir(context), running);
    }

    @Override
    protected AccessRulesInForce accessRulesInForce() {
        return transportRules;
    }

    /** {@code felix.fileinstall.dir}, else {@code karaf.etc}; null when neither names a folder. */
    static Path etcDir(BundleContext context) {
        for (String property : new String[] {"felix.fileinstall.dir", "karaf.etc"}) {
            String value = context.getProperty(property);
            if (value != null && !value.isBlank() && !value.contains("${") && Files.isDirectory(Path.of(value.trim()))) {
                return Path.of(value.trim()).toAbsolutePath().normalize();
            }
        }
        return null;
    }
}
