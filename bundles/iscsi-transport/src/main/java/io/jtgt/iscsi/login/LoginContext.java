package io.jtgt.iscsi.login;

import io.jtgt.scsi.api.TargetRegistry;

/**
 * What a login on one portal consults.
 *
 * @param registry the targets
 * @param table our negotiation table
 * @param authenticator the security stage
 * @param sessions TSIH allocation and lookup
 * @param portalId the gotgt id of the portal the connection came in on
 * @param queueDepth commands per session, for the first MaxCmdSN
 */
public record LoginContext(
        TargetRegistry registry,
        ParameterTable table,
        Authenticator authenticator,
        SessionDirectory sessions,
        int portalId,
        int queueDepth) {}
