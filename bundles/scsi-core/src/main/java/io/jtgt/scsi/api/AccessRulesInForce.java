package io.jtgt.scsi.api;

import java.util.Map;

/**
 * Offered by the transport: whether logins to a target meet a given access configuration now.
 * Config Admin hands a change to the transport on its own thread, some time after it was
 * written; the administration service asks this so that an "initiator removed" or "CHAP
 * required" is answered only once the next login obeys it.
 *
 * @since 2.7
 */
@FunctionalInterface
public interface AccessRulesInForce {

    /**
     * True when a login to {@code target} now meets the rule that {@code properties} (one
     * {@code io.jtgt.auth} configuration) describe; {@code null} properties mean no rule (open).
     */
    boolean inForce(String target, Map<String, ?> properties);
}
