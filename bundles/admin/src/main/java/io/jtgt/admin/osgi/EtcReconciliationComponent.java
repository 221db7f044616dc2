package io.jtgt.admin.osgi;

import io.jtgt.admin.EtcReconciliation;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs {@link EtcReconciliation} once when the admin bundle starts: as soon as Config Admin is
 * there, without waiting for the target service, so a storage or target whose file was deleted
 * while the daemon was down goes again while the targets come up. The check only lists the jtgt
 * configurations and looks at their files: nothing waits, nothing is held.
 */
@Component(immediate = true, service = {})
public final class EtcReconciliationComponent {

    @Activate
    public EtcReconciliationComponent(@Reference ConfigurationAdmin configAdmin, BundleContext context) {
        Path etc = AdminComponent.etcDir(context);
        if (etc != null) {
            new EtcReconciliation(configAdmin, etc).run();
        }
    }
}
