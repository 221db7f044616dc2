package io.jtgt.rest;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;

/**
 * {@code /sessions}: logged-in sessions with their negotiated parameters (shell: sessions,
 * session-logout).
 *
 * <pre>
 * GET    /sessions                      every session
 * GET    /sessions/{tsih}               one session
 * DELETE /sessions/{tsih}[?grace=S]     asks the initiator to log out (RFC 7143 11.9.1 AsyncEvent 1),
 *                                       drops it after S seconds (default 10) if it has not (202)
 * </pre>
 */
public final class SessionsResource extends Resource {

    private final ManagementService management;

    public SessionsResource(ManagementService management) {
        this.management = management;
    }

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public Reply handle(Call c) {
        if (c.matches("sessions")) {
            if (c.is("GET")) {
                return ok(management.sessions());
            }
            throw unknown(c, true);
        }
        if (c.matches("sessions", null)) {
            int tsih = Args.intNumber("tsih", c.segment(1), 1, 0xFFFF);
            if (c.is("GET")) {
                return ok(session(tsih));
            }
            if (c.is("DELETE")) {
                session(tsih);
                String grace = c.query().get("grace");
                int seconds = grace == null ? ManagementService.LOGOUT_GRACE_SECONDS : Args.intNumber("grace", grace, 1, 3600);
                return accepted(management.logoutSession(tsih, seconds));
            }
            throw unknown(c, true);
        }
        throw unknown(c, false);
    }

    private SessionView session(int tsih) {
        return management.sessions().stream().filter(s -> s.tsih() == tsih).findFirst()
                .orElseThrow(() -> ApiException.notFound("TSIH " + tsih + ": no such session"));
    }
}
