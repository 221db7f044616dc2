package io.jtgt.scsi.osgi;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Imports the gotgt JSON file named by the framework (or system) property {@value #PROPERTY}
 * into Config Admin at start ({@code bin/jtgt daemon --config FILE} sets it). Without the
 * property it does nothing.
 */
@Component(immediate = true, service = {})
public class ConfigImportComponent {

    public static final String PROPERTY = "jtgt.config";

    @Activate
    public ConfigImportComponent(@Reference ConfigurationAdmin configAdmin, BundleContext context) {
        String file = context.getProperty(PROPERTY); // framework property, else system property
        if (file != null && !file.isBlank()) {
            new ConfigImporter(configAdmin).importFile(Path.of(file.trim()));
        }
    }
}
