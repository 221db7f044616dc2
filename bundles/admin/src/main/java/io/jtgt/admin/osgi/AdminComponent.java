package io.jtgt.admin.osgi;

import io.jtgt.admin.ConfigAdminService;
import io.jtgt.scsi.api.AdminService;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Registers {@link ConfigAdminService} as the {@link AdminService} of this framework. */
@Component(service = AdminService.class)
public class AdminComponent extends ConfigAdminService {

    @Activate
    public AdminComponent(@Reference ConfigurationAdmin configAdmin) {
        super(configAdmin);
    }
}
