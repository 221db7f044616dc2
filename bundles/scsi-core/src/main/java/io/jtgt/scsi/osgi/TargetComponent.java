package io.jtgt.scsi.osgi;

import io.jtgt.scsi.config.ConfigPids;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@value ConfigPids#TARGET} factory configuration ({@code name}, {@code tpgt.<tag>},
 * {@code lun.<n>}): validates it and puts the target into the target service. A bad
 * configuration is logged once, naming field and value; only this target stays out.
 */
@Component(configurationPid = ConfigPids.TARGET, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = TargetComponent.Config.class, factory = true)
public class TargetComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TargetComponent.class);

    @ObjectClassDefinition(name = "jtgt target", description = "An iSCSI target (gotgt 'iscsitargets' entry); "
            + "add tpgt.<tag> = comma-separated portal ids and lun.<n> = deviceID properties")
    @interface Config {
        @AttributeDefinition(description = "The target's iSCSI name, e.g. iqn.2026-11.io.jtgt:disk0")
        String name();
    }

    private final PublishedDefinition<String, TargetDefinition> published;

    @Activate
    public TargetComponent(@Reference ScsiTargetService service, Map<String, Object> properties) {
        this.published = new PublishedDefinition<>(TargetDefinition::fromProperties, TargetDefinition::name,
                service::putTarget, service::removeTarget, LOG);
        published.apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        published.apply(properties);
    }

    @Deactivate
    void deactivate() {
        published.withdraw();
    }
}
