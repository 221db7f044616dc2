package io.jtgt.scsi.api;

/**
 * Offered by the transport in {@link NexusInfo}: ends the session behind one I_T nexus on an
 * administrator's request ({@link ManagementService#logoutSession}). For iSCSI the initiator is
 * asked to log out with an Async Message (RFC 7143 11.9.1, AsyncEvent 1, Parameter3 = the grace
 * period) and the connection is closed if it has not logged out when the grace period ends.
 *
 * @since 2.3
 */
@FunctionalInterface
public interface SessionControl {

    /**
     * Asks the initiator to log out within {@code graceSeconds} (1..3600) and drops the session
     * after that; returns at once. A second request while one is pending is ignored.
     */
    void requestLogout(int graceSeconds);
}
