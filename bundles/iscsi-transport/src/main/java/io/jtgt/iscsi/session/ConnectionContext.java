package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.LoginContext;
import io.jtgt.iscsi.server.TransportSettings;

/**
 * Everything a connection consults, shared by all connections of a portal.
 *
 * @param login what login consults
 * @param settings our limits
 * @param sessions the server's sessions
 * @param discovery portal addresses for SendTargets
 */
public record ConnectionContext(
        LoginContext login,
        TransportSettings settings,
        SessionRegistry sessions,
        DiscoveryDirectory discovery) {}
