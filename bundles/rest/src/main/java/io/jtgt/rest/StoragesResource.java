package io.jtgt.rest;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.Map;

/**
 * {@code /storages}: backing stores, gotgt {@code storages} entries with the same field names
 * (shell: storage-create, storage-remove, storage-online, storage-offline, storage-resize).
 *
 * <pre>
 * GET    /storages                                   the configured storages (secret options masked)
 * POST   /storages  {"deviceID", "path", ...}        a storage (201); other fields are backend options
 * GET    /storages/{id}                              one storage
 * DELETE /storages/{id}[?force=true]                 refused while mapped, unless forced (204)
 * POST   /storages/{id}/online                       its LUNs become ready
 * POST   /storages/{id}/offline                      its LUNs answer NOT READY
 * POST   /storages/{id}/resize  {"deviceSize": N}    grows it live (shrinking refused)
 * </pre>
 */
public final class StoragesResource extends Resource {

    /** What every listing shows instead of a secret (as the shell does). */
    static final String MASK = StorageConfig.MASKED;

    private final AdminService admin;
    private final ManagementService management;

    public StoragesResource(AdminService admin, ManagementService management) {
        this.admin = admin;
        this.management = management;
    }

    @Override
    public String name() {
        return "storages";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("storages")) {
            if (c.is("GET")) {
                return ok(admin.configuration().storages().stream().map(StoragesResource::view).toList());
            }
            if (c.is("POST")) {
                return created(view(admin.createStorage(body(c).properties())));
            }
            throw unknown(c, true);
        }
        if (c.size() < 2 || !c.segment(0).equals("storages")) {
            throw unknown(c, false);
        }
        long id = Args.deviceId(c.segment(1));
        if (c.matches("storages", null)) {
            if (c.is("GET")) {
                return ok(view(admin.configuration().storages().stream().filter(s -> s.deviceId() == id).findFirst()
                        .orElseThrow(() -> ApiException.notFound("storage " + id + ": does not exist"))));
            }
            if (c.is("DELETE")) {
                admin.removeStorage(id, c.flag("force"));
                return Reply.noContent();
            }
            throw unknown(c, true);
        }
        if (c.matches("storages", null, "online") || c.matches("storages", null, "offline")) {
            if (c.is("POST")) {
                return ok(view(admin.setStorageOnline(id, c.segment(2).equals("online"))));
            }
            throw unknown(c, true);
        }
        if (c.matches("storages", null, "resize")) {
            if (c.is("POST")) {
                return ok(view(resize(id, body(c).only(StorageDefinition.DEVICE_SIZE)
                        .number(StorageDefinition.DEVICE_SIZE, 1, Long.MAX_VALUE))));
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }

    /**
     * As jtgt:storage-resize: a store may be larger than its configured deviceSize (an existing
     * file), so shrinking is checked against the live LUNs too before anything is written.
     */
    private StorageDefinition resize(long id, long newSize) {
        for (LunView lun : management.luns()) {
            if (lun.deviceId() == id && "ONLINE".equals(lun.state()) && lun.sizeBytes() > newSize) {
                throw ApiException.badRequest(StorageDefinition.DEVICE_SIZE + ": " + newSize + " bytes is smaller than storage "
                        + id + "'s current " + lun.sizeBytes() + " bytes; shrinking a LUN is refused");
            }
        }
        return admin.resizeStorage(id, newSize);
    }

    /** The storage's properties as POST takes them, backend secrets masked. */
    static Map<String, Object> view(StorageDefinition storage) {
        return storage.toMaskedProperties();
    }

    /** Backend options that hold credentials ({@link StorageConfig#isSecretOption}). */
    static boolean isSecret(String key) {
        return StorageConfig.isSecretOption(key);
    }
}
