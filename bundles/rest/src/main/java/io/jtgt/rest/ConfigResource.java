package io.jtgt.rest;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.config.JtgtConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /config}: the running configuration as a gotgt JSON file (shell: export, import).
 * CHAP and initiator lists are not part of that format (see {@code /acls}).
 *
 * <pre>
 * GET  /config                      the gotgt JSON of the running configuration
 * POST /config[?replace=true]       imports a gotgt JSON body: creates or updates its storages,
 *                                   portals and targets (replace: removes those it does not name);
 *                                   a broken file changes nothing
 * </pre>
 */
public final class ConfigResource extends Resource {

    private final AdminService admin;

    public ConfigResource(AdminService admin) {
        this.admin = admin;
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public Reply handle(Call c) {
        if (!c.matches("config")) {
            throw unknown(c, false);
        }
        if (c.is("GET")) {
            return Reply.json(200, admin.exportJson());
        }
        if (c.is("POST")) {
            if (c.body().isBlank()) {
                throw ApiException.badRequest("request body: the gotgt JSON to import is missing");
            }
            boolean replace = c.flag("replace");
            JtgtConfiguration imported = admin.importJson(c.body(), replace);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("replace", replace);
            summary.put("storages", imported.storages().size());
            summary.put("portals", imported.portals().size());
            summary.put("targets", imported.targets().size());
            return ok(summary);
        }
        throw unknown(c, true);
    }
}
