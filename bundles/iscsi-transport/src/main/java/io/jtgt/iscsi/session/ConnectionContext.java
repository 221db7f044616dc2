package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.LoginContext;
import io.jtgt.iscsi.server.TransportSettings;

/**
 * Everything a connection consults, shared by all connections of a portal.
 *
 * @param login what login consults
 * @param settings our limits (the daemon's; a session runs under its target's, see login)
 * @param sessions the server's sessions
 * @param discovery portal addresses for SendTargets
 * @param shared connection counts and the data budget of the whole server
 */
public record ConnectionContext(
        LoginContext login,
        TransportSettings settings,
        SessionRegistry sessions,
        DiscoveryDirectory discovery,
        SharedLimits shared) {

    /** A context with limits of its own (tests, a server with one portal). */
    public ConnectionContext(LoginContext login, TransportSettings settings, SessionRegistry sessions,
            DiscoveryDirectory discovery) {
        this(login, settings, sessions, discovery, new SharedLimits(settings.limits()));
    }
}
