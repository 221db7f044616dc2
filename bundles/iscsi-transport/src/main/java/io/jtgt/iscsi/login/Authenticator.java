package io.jtgt.iscsi.login;

import java.util.List;

/**
 * The security stage (RFC 7143 6.3.2, 12.1): which AuthMethods a target accepts and how one
 * exchange runs. {@link NoAuthentication} is the only one so far; CHAP plugs in here.
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
}
