package io.jtgt.iscsi.login;

import java.util.List;

/**
 * The security stage (RFC 7143 6.3.2, 12.1): which AuthMethods a target accepts and how one
 * exchange runs. {@link NoAuthentication} accepts everyone; {@code io.jtgt.iscsi.auth.ChapAuthenticator} applies access rules.
 */
public interface Authenticator {

    /**
     * The AuthMethod values accepted for this login, preferred first.
     *
     * @param targetName the target (null for a discovery session)
     */
    List<String> methods(String targetName);

    /** Starts the exchange for a method returned by {@link #methods}. */
    AuthExchange begin(String method, String initiatorName, String targetName);

    /**
     * Whether this initiator may log in to the target (null: open a discovery session) at all,
     * and see it in SendTargets. A login refused here ends with 0x0202 (RFC 7143 11.13.5).
     */
    default boolean authorized(String initiatorName, String targetName) {
        return true;
    }
}
