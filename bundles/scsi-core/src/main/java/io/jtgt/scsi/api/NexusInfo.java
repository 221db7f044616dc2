package io.jtgt.scsi.api;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Who is on the other end of an I_T nexus, as the transport established it at login.
 *
 * @param initiatorName the InitiatorName (an IQN or EUI)
 * @param isid the initiator session id (48 bits)
 * @param tsih the target session identifying handle the transport assigned
 * @param tpgt the target portal group tag the session logged in through
 * @param initiatorAddress remote socket address as {@code host:port}
 * @param portalAddress local socket address as {@code host:port}
 * @param parameters live view of the negotiated session/connection parameters, for display
 * @param commandsInFlight live count of commands received but not yet answered, for display
 * @param taskAborter aborts this nexus's tasks on another initiator's PREEMPT AND ABORT, or null
 *     when the transport cannot (PREEMPT AND ABORT is then not offered)
 * @param sessionControl ends the session on an administrator's request, or null when the transport
 *     cannot (since 2.3)
 */
public record NexusInfo(
        String initiatorName,
        long isid,
        int tsih,
        int tpgt,
        String initiatorAddress,
        String portalAddress,
        Supplier<Map<String, String>> parameters,
        Supplier<Integer> commandsInFlight,
        TaskAborter taskAborter,
        SessionControl sessionControl) {

    /** A nexus whose transport offers no {@link SessionControl}. */
    public NexusInfo(String initiatorName, long isid, int tsih, int tpgt, String initiatorAddress, String portalAddress,
            Supplier<Map<String, String>> parameters, Supplier<Integer> commandsInFlight, TaskAborter taskAborter) {
        this(initiatorName, isid, tsih, tpgt, initiatorAddress, portalAddress, parameters, commandsInFlight, taskAborter,
                null);
    }

    /** A nexus whose transport offers no {@link TaskAborter}. */
    public NexusInfo(String initiatorName, long isid, int tsih, int tpgt, String initiatorAddress, String portalAddress,
            Supplier<Map<String, String>> parameters, Supplier<Integer> commandsInFlight) {
        this(initiatorName, isid, tsih, tpgt, initiatorAddress, portalAddress, parameters, commandsInFlight, null, null);
    }
}
