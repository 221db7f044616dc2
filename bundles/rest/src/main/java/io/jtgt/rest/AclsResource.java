package io.jtgt.rest;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.AdminService.AccessView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /acls}: who may log in to a target, or to discovery ({@code /acls/discovery}): the
 * allowed initiators and the CHAP account (shell: acl-add, acl-remove, chap-set, chap-remove,
 * auth-list). Secrets are write-only: every answer shows {@code ****} where one is set.
 *
 * <pre>
 * GET    /acls                                  every access rule
 * GET    /acls/{target}                         one rule (an open target: no CHAP, every initiator)
 * PUT    /acls/{target}/initiators/{name}       allows an initiator
 * DELETE /acls/{target}/initiators/{name}       takes it off the list
 * PUT    /acls/{target}/chap  {"userName", "secret"[, "mutualUserName", "mutualSecret"]}   requires CHAP
 * DELETE /acls/{target}/chap                    no CHAP (the initiator list stays)
 * </pre>
 */
public final class AclsResource extends Resource {

    private final AdminService admin;

    public AclsResource(AdminService admin) {
        this.admin = admin;
    }

    @Override
    public String name() {
        return "acls";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("acls")) {
            if (c.is("GET")) {
                return ok(admin.accessRules().stream().map(AclsResource::view).toList());
            }
            throw unknown(c, true);
        }
        if (c.matches("acls", null)) {
            if (c.is("GET")) {
                return ok(view(rule(c.segment(1))));
            }
            throw unknown(c, true);
        }
        if (c.matches("acls", null, "initiators", null)) {
            if (c.is("PUT")) {
                return ok(view(admin.addInitiator(c.segment(1), c.segment(3))));
            }
            if (c.is("DELETE")) {
                return ok(view(admin.removeInitiator(c.segment(1), c.segment(3))));
            }
            throw unknown(c, true);
        }
        if (c.matches("acls", null, "chap")) {
            if (c.is("PUT")) {
                JsonBody body = body(c).only("userName", "secret", "mutualUserName", "mutualSecret");
                return ok(view(admin.setChap(c.segment(1), body.string("userName"), body.string("secret"),
                        body.optionalString("mutualUserName"), body.optionalString("mutualSecret"))));
            }
            if (c.is("DELETE")) {
                return ok(view(admin.removeChap(c.segment(1))));
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }

    /**
     * The rule of a target; a target without one is open (AdminService keeps no rule for it).
     * An unknown target is a 404, checked by asking for the configured targets.
     */
    private AccessView rule(String target) {
        for (AccessView rule : admin.accessRules()) {
            if (rule.target().equalsIgnoreCase(target)) {
                return rule;
            }
        }
        if (target.equalsIgnoreCase(AdminService.DISCOVERY)) {
            return new AccessView(AdminService.DISCOVERY, null, null, java.util.List.of());
        }
        return admin.configuration().targets().stream().filter(t -> t.name().equalsIgnoreCase(target)).findFirst()
                .map(t -> new AccessView(t.name(), null, null, java.util.List.of()))
                .orElseThrow(() -> ApiException.notFound("target " + target + ": does not exist"));
    }

    /** A rule as the API shows it: the CHAP names, {@code ****} for each secret that is set. */
    static Map<String, Object> view(AccessView rule) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("target", rule.target());
        view.put("chap", rule.chap());
        view.put("userName", rule.userName());
        view.put("secret", rule.chap() ? StoragesResource.MASK : null);
        view.put("mutualUserName", rule.mutualUserName());
        view.put("mutualSecret", rule.mutualUserName() != null ? StoragesResource.MASK : null);
        view.put("initiators", rule.initiators());
        return view;
    }
}
