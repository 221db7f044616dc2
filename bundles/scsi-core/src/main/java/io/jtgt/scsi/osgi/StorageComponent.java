package io.jtgt.scsi.osgi;

import io.jtgt.scsi.config.ConfigPids;
import io.jtgt.scsi.config.StorageDefinition;
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
 * One {@value ConfigPids#STORAGE} factory configuration: validates it and puts the storage into
 * the target service. A bad configuration is logged once, naming field and value, and only this
 * storage stays out; everything else keeps running.
 */
@Component(configurationPid = ConfigPids.STORAGE, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = StorageComponent.Config.class, factory = true)
public class StorageComponent {

    private static final Logger LOG = LoggerFactory.getLogger(StorageComponent.class);

    @ObjectClassDefinition(name = "jtgt storage", description = "A storage object behind one or more LUNs "
            + "(gotgt 'storages' entry); other properties go to the backend as options")
    @interface Config {
        @AttributeDefinition(name = "deviceID", description = "Id that targets map LUNs to")
        long deviceID();

        @AttributeDefinition(description = "file:/abs/path.img, /abs/path.img, s3:bucket/prefix, ceph-rbd:pool/image")
        String path();

        @AttributeDefinition(required = false, description = "false keeps the LUN configured but NOT READY")
        boolean online() default true;

        @AttributeDefinition(required = false, description = "Backend type; default the path's type prefix, else file")
        String backendType();

        @AttributeDefinition(required = false, description = "log2 of the block size, 9..12")
        int blockShift() default 9;

        @AttributeDefinition(required = false, description = "Size in bytes for creating a missing device")
        long deviceSize();

        @AttributeDefinition(required = false, description = "Create sparse and allow UNMAP")
        boolean thinProvisioning() default false;

        @AttributeDefinition(required = false, description = "Write-protected LUN: writing commands fail with "
                + "DATA PROTECT, WRITE PROTECTED; the backend opens the store read-only")
        boolean readOnly() default false;

        @AttributeDefinition(required = false, description = "Removable medium (INQUIRY RMB=1): START STOP UNIT "
                + "ejects/loads it, PREVENT ALLOW MEDIUM REMOVAL locks it")
        boolean removable() default false;

        @AttributeDefinition(required = false, description = "log2 of the physical block size (blockShift..16); "
                + "default: the backend's alignment, else blockShift")
        int physicalBlockShift();

        @AttributeDefinition(required = false, description = "MiB/s a SANITIZE OVERWRITE may write; 0 = unlimited")
        int sanitizeRate() default 0;
    }

    private final PublishedDefinition<Long, StorageDefinition> published;

    @Activate
    public StorageComponent(@Reference ScsiTargetService service, Map<String, Object> properties) {
        this.published = new PublishedDefinition<>(StorageDefinition::fromProperties, StorageDefinition::deviceId,
                service::putStorage, service::removeStorage, LOG);
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
