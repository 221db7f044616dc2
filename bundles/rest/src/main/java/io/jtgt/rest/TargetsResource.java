package io.jtgt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.TargetView;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /targets}: targets, their LUN map and portal groups (shell: target-create, target-remove,
 * lun-map, lun-unmap, portal-group-add, portal-group-remove).
 *
 * <pre>
 * GET    /targets                                       the running targets
 * POST   /targets  {"name", "portalGroups": {"1": [0]}} a target without LUNs (201)
 * GET    /targets/{name}                                one target
 * DELETE /targets/{name}                                the target and its access rule (204)
 * GET    /targets/{name}/luns                           its LUNs
 * POST   /targets/{name}/luns  {"lun", "deviceID"}      maps a LUN to a storage (201)
 * DELETE /targets/{name}/luns/{lun}                     unmaps it
 * PUT    /targets/{name}/portal-groups/{tag}/portals/{id}   adds a portal to a group
 * DELETE /targets/{name}/portal-groups/{tag}/portals/{id}   takes it out
 * </pre>
 */
public final class TargetsResource extends Resource {

    private final AdminService admin;
    private final ManagementService management;

    public TargetsResource(AdminService admin, ManagementService management) {
        this.admin = admin;
        this.management = management;
    }

    @Override
    public String name() {
        return "targets";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("targets")) {
            if (c.is("GET")) {
                return ok(management.targets());
            }
            if (c.is("POST")) {
                return create(body(c).only("name", "portalGroups"));
            }
            throw unknown(c, true);
        }
        if (c.matches("targets", null)) {
            if (c.is("GET")) {
                return ok(target(c.segment(1)));
            }
            if (c.is("DELETE")) {
                admin.removeTarget(c.segment(1));
                return Reply.noContent();
            }
            throw unknown(c, true);
        }
        if (c.matches("targets", null, "luns")) {
            String name = c.segment(1);
            if (c.is("GET")) {
                String canonical = target(name).name();
                return ok(management.luns().stream().filter(l -> l.target().equals(canonical)).toList());
            }
            if (c.is("POST")) {
                JsonBody body = body(c).only("lun", "deviceID");
                int lun = (int) body.number("lun", 0, TargetDefinition.MAX_LUN);
                long deviceId = body.number("deviceID", 0, Long.MAX_VALUE);
                return created(admin.mapLun(name, lun, deviceId));
            }
            throw unknown(c, true);
        }
        if (c.matches("targets", null, "luns", null)) {
            if (c.is("DELETE")) {
                return ok(admin.unmapLun(c.segment(1), Args.lun(c.segment(3))));
            }
            throw unknown(c, true);
        }
        if (c.matches("targets", null, "portal-groups", null, "portals", null)) {
            int tag = Args.tag(c.segment(3));
            int portal = Args.portalId(c.segment(5));
            if (c.is("PUT")) {
                return ok(admin.addPortalToGroup(c.segment(1), tag, portal));
            }
            if (c.is("DELETE")) {
                return ok(admin.removePortalFromGroup(c.segment(1), tag, portal));
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }

    private Reply create(JsonBody body) {
        String name = body.string("name");
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        if (body.has("portalGroups")) {
            JsonNode node = body.node("portalGroups");
            if (!node.isObject()) {
                throw ApiException.badRequest("portalGroups: an object of tag to portal ids expected, e.g. {\"1\": [0]}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> group = it.next();
                int tag = Args.intNumber("portalGroups tag", group.getKey(), 1, 65535);
                if (!group.getValue().isArray()) {
                    throw ApiException.badRequest("portalGroups." + tag + ": an array of portal ids expected");
                }
                List<Integer> ids = new ArrayList<>();
                for (JsonNode id : group.getValue()) {
                    ids.add(Args.intNumber("portalGroups." + tag, id.asText(), 0, 65535));
                }
                groups.put(tag, ids);
            }
        }
        return created(admin.createTarget(name, groups));
    }

    /** The running target of that name (iSCSI names compare case-insensitively, RFC 3722). */
    private TargetView target(String name) {
        return management.targets().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("target " + name + ": does not exist"));
    }
}
