package io.jtgt.iscsi.login;

import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.text.TextAssembler;
import io.jtgt.iscsi.text.TextFormatException;
import io.jtgt.iscsi.text.TextParameters;
import io.jtgt.scsi.api.ScsiTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The login phase of one connection (RFC 7143 6.3): security stage, operational stage,
 * transition to full feature phase. Turns each Login Request into the Login Response to send.
 * Used on the connection's event loop only; knows nothing of sockets.
 */
public final class LoginController {

    public static final int SECURITY = 0;
    public static final int OPERATIONAL = 1;
    public static final int FULL_FEATURE = 3;

    /** Login text is small; 64 KiB bounds a malicious multi-PDU login. */
    private static final int MAX_LOGIN_TEXT = 64 * 1024;

    /** Keys the login itself consumes; they get no answer (declarations, RFC 7143 13.4–13.6, 13.11). */
    private static final List<String> LOGIN_DECLARATIONS =
            List.of("InitiatorName", "InitiatorAlias", "TargetName", "SessionType");

    public enum Outcome {
        /** More Login Requests are expected. */
        CONTINUE,
        /** The response carries a failure status; close the connection after sending it. */
        FAILED,
        /** The response completes the login; the connection enters full feature phase. */
        COMPLETE
    }

    /** A response to send and what follows it. */
    public record Step(LoginResponsePdu response, Outcome outcome, String failureReason) {}

    private final LoginContext context;
    /** The table of the target's limits (the daemon's until the target is known). */
    private ParameterTable table;
    private Negotiation negotiation;
    private final TextAssembler text = new TextAssembler(MAX_LOGIN_TEXT);

    private boolean first = true;
    private int stage = SECURITY;
    private boolean authenticated;
    private AuthExchange auth;
    private boolean tpgtDeclared;
    /** Operational keys the initiator has offered in this login. */
    private final java.util.Set<String> negotiated = new java.util.HashSet<>();
    private TextParameters declarations;

    private long isid;
    private int tsih;
    private int cid;
    private int initiatorTaskTag;
    private int cmdSn;
    private int statSn;
    private String initiatorName;
    private String initiatorAlias;
    private boolean discovery;
    private ScsiTarget target;
    private int tpgt = 1;

    public LoginController(LoginContext context) {
        this.context = context;
        this.table = context.table();
        this.negotiation = new Negotiation(table);
    }

    public Step handle(LoginRequestPdu request) {
        try {
            return step(request);
        } catch (LoginException e) {
            return new Step(failure(e.status()), Outcome.FAILED, e.getMessage());
        }
    }

    private Step step(LoginRequestPdu request) throws LoginException {
        if (first) {
            // RFC 7143 11.12.4: we speak version 0x00 only.
            if (request.versionMin() > 0) {
                throw new LoginException(LoginStatus.UNSUPPORTED_VERSION,
                        "initiator needs version >= " + request.versionMin());
            }
            isid = request.isid();
            tsih = request.tsih();
            cid = request.cid();
            cmdSn = request.cmdSn();
            statSn = request.expStatSn();
        } else if (request.isid() != isid || request.tsih() != tsih || request.cid() != cid) {
            // RFC 7143 11.12: ISID, TSIH and CID identify the login and stay the same throughout.
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "ISID, TSIH or CID changed during login");
        }
        initiatorTaskTag = request.initiatorTaskTag();
        int csg = request.currentStage();
        int nsg = request.nextStage();
        boolean transit = request.transit();
        if (transit && request.continueFlag()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "T and C bits both set");
        }
        if (csg != SECURITY && csg != OPERATIONAL) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "invalid current stage " + csg);
        }
        if (csg < stage) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "login went back to stage " + csg);
        }
        if (transit && (nsg <= csg || nsg == 2)) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "invalid transition " + csg + "->" + nsg);
        }
        if (!text.append(request.data())) {
            throw new LoginException(LoginStatus.OUT_OF_RESOURCES, "login text longer than " + MAX_LOGIN_TEXT);
        }
        if (request.continueFlag()) {
            // RFC 7143 6.1: more text follows; answer with an empty response in the same stage.
            return new Step(response(csg, csg, false, new TextParameters()), Outcome.CONTINUE, null);
        }
        TextParameters keys;
        try {
            keys = TextParameters.parse(text.take());
        } catch (TextFormatException e) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
        if (first) {
            identify(keys);
            first = false;
        } else {
            sameDeclarations(keys);
        }
        stage = csg;
        TextParameters answer = new TextParameters();
        List<Map.Entry<String, String>> security = new ArrayList<>();
        List<Map.Entry<String, String>> operational = new ArrayList<>();
        for (Map.Entry<String, String> pair : keys.pairs()) {
            String key = pair.getKey();
            if (LOGIN_DECLARATIONS.contains(key)) {
                continue;
            }
            if (Negotiation.securityKey(key)) {
                if (csg != SECURITY) {
                    // RFC 7143 6.3: security keys belong to the security stage only.
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, key + " outside the security stage");
                }
                security.add(pair);
            } else {
                if (!negotiated.add(key)) {
                    // RFC 7143 6.2: a key is negotiated once per login; a repeat is an initiator error.
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, key + " offered twice");
                }
                operational.add(pair);
            }
        }
        if (csg == SECURITY) {
            security(security, answer);
        }
        negotiation.respond(operational, answer, false);
        if (negotiation.refusedOffer() != null) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, negotiation.refusedOffer());
        }
        if (!discovery && !tpgtDeclared) {
            // RFC 7143 13.9: returned in the first Login Response of a normal session.
            answer.add(ParameterTable.TARGET_PORTAL_GROUP_TAG, Integer.toString(tpgt));
            tpgtDeclared = true;
        }
        boolean toFullFeature = transit && nsg == FULL_FEATURE && (csg != SECURITY || authenticated);
        if (csg == OPERATIONAL || toFullFeature) {
            negotiation.declareOurLimits(answer);
        }
        if (csg == OPERATIONAL && !authenticated) {
            // Skipping the security stage is only allowed when no authentication is required.
            String targetName = target == null ? null : target.name();
            if (!context.authenticator().methods(targetName).contains(NoAuthentication.NONE)) {
                throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "security stage skipped");
            }
            authenticated = true;
        }
        if (transit && csg == SECURITY && !authenticated) {
            if (auth == null) {
                throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "transit before authentication started");
            }
            // RFC 7143 6.3: the target answers T=0 while it still needs security keys (the
            // initiator may ask to transit along with AuthMethod or CHAP_A).
            transit = false;
        }
        if (toFullFeature) {
            if (negotiation.offersPending()) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, "no answer to our offers before full feature phase");
            }
            TextParameters offers = negotiation.offersFor(negotiated);
            if (!offers.isEmpty()) {
                // A default the initiator left alone exceeds our limit: offer ours first. The offers
                // need answers, so the operational stage goes on (RFC 7143 11.13.3: no T=1 with them).
                offers.pairs().forEach(p -> answer.add(p.getKey(), p.getValue()));
                toFullFeature = false;
                if (csg == OPERATIONAL) {
                    transit = false;
                } else {
                    nsg = OPERATIONAL;
                }
            }
        }
        if (!transit) {
            return new Step(response(csg, csg, false, answer), Outcome.CONTINUE, null);
        }
        stage = nsg;
        if (toFullFeature) {
            if (tsih == 0) {
                tsih = discovery ? context.sessions().allocateTsih() : context.sessions().allocateTsih(target.name(),
                        initiatorName, isid, table.settings().limits().maxSessionsPerTarget());
                if (tsih == 0) {
                    throw new LoginException(LoginStatus.OUT_OF_RESOURCES, "target " + target.name() + " already has "
                            + table.settings().limits().maxSessionsPerTarget() + " sessions");
                }
            }
            return new Step(response(csg, nsg, true, answer), Outcome.COMPLETE, null);
        }
        return new Step(response(csg, nsg, true, answer), Outcome.CONTINUE, null);
    }

    /**
     * InitiatorName, TargetName and SessionType may be repeated in later requests (some
     * initiators do), but not changed.
     */
    private void sameDeclarations(TextParameters keys) throws LoginException {
        for (String key : List.of("InitiatorName", "TargetName", "SessionType")) {
            String value = keys.get(key);
            if (value != null && !value.equals(declarations.get(key))) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, key + " changed during login");
            }
        }
    }

    /** The first request names the initiator, the session type and the target (RFC 7143 6.3.1). */
    private void identify(TextParameters keys) throws LoginException {
        declarations = keys;
        initiatorName = keys.get("InitiatorName");
        if (initiatorName == null || initiatorName.isEmpty()) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "no InitiatorName");
        }
        initiatorAlias = keys.get("InitiatorAlias");
        String sessionType = keys.get("SessionType");
        if (sessionType == null || sessionType.equals("Normal")) {
            discovery = false;
        } else if (sessionType.equals("Discovery")) {
            discovery = true;
        } else {
            throw new LoginException(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + sessionType);
        }
        if (tsih != 0) {
            // A login into an existing session. With MaxConnections=1 it can only replace the
            // session's connection (connection reinstatement, RFC 7143 6.3.4); at ERL 0 the old
            // connection's tasks are lost, so the session restarts under the same TSIH and the
            // old connection is closed when this login completes.
            if (!context.sessions().belongsTo(tsih, initiatorName, isid)) {
                throw new LoginException(LoginStatus.SESSION_DOES_NOT_EXIST, "no session with TSIH " + tsih
                        + " for this initiator port");
            }
        }
        if (discovery) {
            negotiation.discovery(true);
            if (!context.authenticator().authorized(initiatorName, null)) {
                throw new LoginException(LoginStatus.AUTHORIZATION_FAILURE, initiatorName
                        + " may not open discovery sessions");
            }
            return;
        }
        String targetName = keys.get("TargetName");
        if (targetName == null || targetName.isEmpty()) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session");
        }
        Optional<ScsiTarget> found = context.registry().target(targetName);
        if (found.isEmpty()) {
            throw new LoginException(LoginStatus.NOT_FOUND, "no target " + targetName);
        }
        target = found.get();
        Integer group = portalGroupOf(target, context.portalId());
        if (group == null) {
            throw new LoginException(LoginStatus.NOT_FOUND, "target " + targetName
                    + " is not reachable through portal " + context.portalId());
        }
        tpgt = group;
        // The registry's own spelling of the name, as the security stage will use it too.
        if (!context.authenticator().authorized(initiatorName, target.name())) {
            throw new LoginException(LoginStatus.AUTHORIZATION_FAILURE, initiatorName + " is not allowed on "
                    + target.name());
        }
        // The target's own limits (its io.jtgt.target keys) from here on; nothing was negotiated yet.
        table = context.table().forTarget(target.limits());
        negotiation = new Negotiation(table);
    }

    /** The TPGT of the group holding {@code portalId}; tag 1 for a target without groups. */
    public static Integer portalGroupOf(ScsiTarget target, int portalId) {
        Map<Integer, List<Integer>> groups = target.portalGroups();
        if (groups == null || groups.isEmpty()) {
            return 1;
        }
        for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
            if (group.getValue().contains(portalId)) {
                return group.getKey();
            }
        }
        return null;
    }

    private void security(List<Map.Entry<String, String>> keys, TextParameters answer) throws LoginException {
        List<Map.Entry<String, String>> rest = new ArrayList<>();
        String offered = null;
        for (Map.Entry<String, String> pair : keys) {
            if (pair.getKey().equals("AuthMethod")) {
                offered = pair.getValue();
            } else {
                rest.add(pair);
            }
        }
        String targetName = target == null ? null : target.name();
        List<String> ours = context.authenticator().methods(targetName);
        if (offered != null && auth == null) {
            String chosen = null;
            for (String candidate : offered.split(",")) {
                if (ours.contains(candidate)) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == null) {
                answer.add("AuthMethod", Negotiation.REJECT);
                throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "no acceptable AuthMethod in " + offered);
            }
            answer.add("AuthMethod", chosen);
            auth = context.authenticator().begin(chosen, initiatorName, targetName);
        } else if (auth == null && ours.contains(NoAuthentication.NONE)) {
            // AuthMethod defaults to None (RFC 7143 12.1) when the initiator does not offer it.
            auth = context.authenticator().begin(NoAuthentication.NONE, initiatorName, targetName);
        }
        if (auth == null) {
            if (!rest.isEmpty()) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, "security keys before AuthMethod");
            }
            return;
        }
        switch (auth.step(rest, answer)) {
            case DONE -> authenticated = true;
            case CONTINUE -> { }
            case FAILED -> throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "authentication failed");
            default -> throw new IllegalStateException();
        }
    }

    /**
     * A Login Response ending this login with {@code status} (after a non-login PDU, or a login
     * the target cannot take); {@code request}, when given and the first, names the login.
     */
    public LoginResponsePdu refuse(LoginRequestPdu request, int status) {
        if (first && request != null) {
            isid = request.isid();
            tsih = request.tsih();
            initiatorTaskTag = request.initiatorTaskTag();
            cmdSn = request.cmdSn();
            statSn = request.expStatSn();
        }
        return failure(status);
    }

    private LoginResponsePdu response(int csg, int nsg, boolean transit, TextParameters answer) {
        LoginResponsePdu response = base();
        response.transit(transit);
        response.stages(csg, transit ? nsg : 0);
        response.status(LoginStatus.SUCCESS);
        if (!answer.isEmpty()) {
            response.data(answer.encode());
        }
        return response;
    }

    private LoginResponsePdu failure(int status) {
        LoginResponsePdu response = base();
        response.stages(stage, 0);
        response.status(status);
        return response;
    }

    private LoginResponsePdu base() {
        LoginResponsePdu response = new LoginResponsePdu();
        response.versions(0, 0);
        response.isid(isid);
        response.tsih(tsih);
        response.initiatorTaskTag(initiatorTaskTag);
        response.statSn(statSn++);
        response.expCmdSn(cmdSn);
        response.maxCmdSn(cmdSn + context.queueDepth() - 1);
        return response;
    }

    public Negotiation negotiation() {
        return negotiation;
    }

    /** The settings this login runs under: the daemon's, with the target's own limits applied. */
    public io.jtgt.iscsi.server.TransportSettings settings() {
        return table.settings();
    }

    public long isid() {
        return isid;
    }

    public int tsih() {
        return tsih;
    }

    public int cid() {
        return cid;
    }

    /** The CmdSN the first full-feature command will carry (login does not advance it). */
    public int cmdSn() {
        return cmdSn;
    }

    /** The StatSN of the first full-feature response. */
    public int nextStatSn() {
        return statSn;
    }

    public String initiatorName() {
        return initiatorName;
    }

    public String initiatorAlias() {
        return initiatorAlias;
    }

    public boolean discovery() {
        return discovery;
    }

    /** The target of a normal session; null for discovery. */
    public ScsiTarget target() {
        return target;
    }

    public int tpgt() {
        return tpgt;
    }
}
