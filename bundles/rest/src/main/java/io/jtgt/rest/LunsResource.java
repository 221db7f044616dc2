package io.jtgt.rest;

import io.jtgt.scsi.api.ManagementService;

/**
 * {@code GET /luns}: every mapped LUN with its backend, size and state (shell: the LUN table of
 * jtgt:list). LUNs are created under {@code /targets/{name}/luns}.
 */
public final class LunsResource extends Resource {

    private final ManagementService management;

    public LunsResource(ManagementService management) {
        this.management = management;
    }

    @Override
    public String name() {
        return "luns";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("luns")) {
            if (c.is("GET")) {
                return ok(management.luns());
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }
}
