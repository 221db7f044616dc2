package io.jtgt.rest;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.config.PortalDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /portals}: listening addresses (shell: portal-create, portal-remove).
 *
 * <pre>
 * GET    /portals                                   the portals and whether they listen
 * POST   /portals  {"id": 1, "portal": "host:port"} a portal (201)
 * GET    /portals/{id}                              one portal
 * DELETE /portals/{id}[?force=true]                 refused while a portal group names it, unless forced (204)
 * </pre>
 */
public final class PortalsResource extends Resource {

    private final AdminService admin;
    private final ManagementService management;

    public PortalsResource(AdminService admin, ManagementService management) {
        this.admin = admin;
        this.management = management;
    }

    @Override
    public String name() {
        return "portals";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("portals")) {
            if (c.is("GET")) {
                return ok(management.portals());
            }
            if (c.is("POST")) {
                JsonBody body = body(c).only(PortalDefinition.ID, PortalDefinition.PORTAL);
                PortalDefinition portal = admin.createPortal((int) body.number(PortalDefinition.ID, 0, 65535),
                        body.string(PortalDefinition.PORTAL));
                return created(view(portal));
            }
            throw unknown(c, true);
        }
        if (c.matches("portals", null)) {
            int id = Args.intNumber("id", c.segment(1), 0, 65535);
            if (c.is("GET")) {
                return ok(management.portals().stream().filter(p -> p.id() == id).findFirst()
                        .orElseThrow(() -> ApiException.notFound("portal " + id + ": does not exist")));
            }
            if (c.is("DELETE")) {
                admin.removePortal(id, c.flag("force"));
                return Reply.noContent();
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }

    /** The portal as POST takes it. */
    private static Map<String, Object> view(PortalDefinition portal) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(PortalDefinition.ID, portal.id());
        view.put(PortalDefinition.PORTAL, portal.address());
        return view;
    }
}
