package io.jtgt.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the API: HTTP Basic credentials (RFC 7617) checked against a realm, then a role.
 * Reading (GET, HEAD) needs the read role or the write role; anything else needs the write role:
 * there is no anonymous access at all. Missing or wrong credentials are 401 with a {@code
 * WWW-Authenticate} challenge, a known user without the role 403.
 *
 * <p>Writes that a browser sends cross-site (a form posted from another page, carrying the
 * browser's remembered Basic credentials) are refused: a write whose {@code Origin} header is
 * not this server's own is 403. curl and other programs send no {@code Origin}.
 */
public final class AccessGuard {

    private final Authenticator authenticator;
    private final String realm;
    private final String readRole;
    private final String writeRole;

    public AccessGuard(Authenticator authenticator, String realm, String readRole, String writeRole) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.realm = Objects.requireNonNull(realm, "realm");
        this.readRole = Objects.requireNonNull(readRole, "readRole");
        this.writeRole = Objects.requireNonNull(writeRole, "writeRole");
    }

    /**
     * The verdict on one request.
     *
     * @param status 0 when allowed, else 401 or 403
     * @param user the authenticated user, or null
     * @param message why it was refused
     */
    public record Decision(int status, String user, String message) {

        public boolean allowed() {
            return status == 0;
        }
    }

    /** The challenge a 401 carries (RFC 7617 2: the realm, and that credentials are UTF-8). */
    public String challenge() {
        return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }

    /**
     * @param method the HTTP method
     * @param authorization the {@code Authorization} header, or null
     * @param origin the {@code Origin} header, or null
     * @param ownOrigin this server as a browser names it, {@code scheme://host:port}
     */
    public Decision check(String method, String authorization, String origin, String ownOrigin) {
        String[] credentials = basicCredentials(authorization);
        if (credentials == null) {
            return new Decision(401, null, "authentication required (HTTP Basic, realm " + realm + ")");
        }
        Optional<Set<String>> roles = authenticator.roles(credentials[0], credentials[1]);
        if (roles.isEmpty()) {
            return new Decision(401, null, "wrong user name or password");
        }
        String user = credentials[0];
        boolean read = method.equals("GET") || method.equals("HEAD");
        Set<String> has = roles.get();
        if (read) {
            if (!has.contains(readRole) && !has.contains(writeRole)) {
                return new Decision(403, user, "user " + user + " has neither role " + readRole + " nor " + writeRole);
            }
            return new Decision(0, user, "");
        }
        if (!has.contains(writeRole)) {
            return new Decision(403, user, "user " + user + " lacks role " + writeRole + ", which changes need");
        }
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin)) {
            return new Decision(403, user, "cross-origin change refused (Origin " + origin + ")");
        }
        return new Decision(0, user, "");
    }

    /** {user, password} of a {@code Basic} header, or null when there is none or it is malformed. */
    static String[] basicCredentials(String authorization) {
        if (authorization == null) {
            return null;
        }
        String header = authorization.trim();
        int blank = header.indexOf(' ');
        if (blank <= 0 || !header.substring(0, blank).equalsIgnoreCase("Basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(blank + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
