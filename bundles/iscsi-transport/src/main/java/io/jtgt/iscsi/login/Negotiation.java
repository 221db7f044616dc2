package io.jtgt.iscsi.login;

import io.jtgt.iscsi.text.TextParameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operational parameters of one session/connection: starts at the RFC defaults, and answers
 * each offered key following its row in the {@link ParameterTable} (RFC 7143 6.2, 6.3).
 * Used on one event loop only.
 */
public final class Negotiation {

    public static final String NOT_UNDERSTOOD = "NotUnderstood";
    public static final String IRRELEVANT = "Irrelevant";
    public static final String REJECT = "Reject";

    private final ParameterTable table;
    private final Map<String, String> values = new LinkedHashMap<>();
    /** The initiator's declared MaxRecvDataSegmentLength: how big our Data-In segments may be. */
    private int initiatorMaxRecvDataSegmentLength = 8192;
    private boolean discovery;
    private boolean declaredOurLength;
    /** Keys we offered ourselves and the value offered; the initiator's next request answers them. */
    private final Map<String, String> offered = new LinkedHashMap<>();
    /** Why an answer to one of our offers cannot be accepted, or null. */
    private String refusedOffer;

    /**
     * The keys whose RFC default is a promise about what the initiator may send us: left at a
     * default beyond our limit, they are offered by us (RFC 7143 6.2). DefaultTime2Wait/Retain,
     * ErrorRecoveryLevel and the markers limit nothing at ERL 0 with our values.
     */
    private static final java.util.List<String> LIMITS = java.util.List.of(ParameterTable.MAX_BURST_LENGTH,
            ParameterTable.FIRST_BURST_LENGTH, ParameterTable.MAX_OUTSTANDING_R2T, ParameterTable.IMMEDIATE_DATA,
            ParameterTable.INITIAL_R2T, ParameterTable.HEADER_DIGEST, ParameterTable.DATA_DIGEST,
            ParameterTable.MAX_CONNECTIONS);

    public Negotiation(ParameterTable table) {
        this.table = table;
        for (KeyDefinition key : table.keys()) {
            if (key.type() != KeyType.DECLARATIVE) {
                values.put(key.name(), key.defaultValue());
            }
        }
        values.put(ParameterTable.MAX_RECV_DATA_SEGMENT_LENGTH, table.targetValue(ParameterTable.MAX_RECV_DATA_SEGMENT_LENGTH));
    }

    public void discovery(boolean value) {
        this.discovery = value;
    }

    /**
     * Answers every key of {@code offer} into {@code response}, in order. Keys handled elsewhere
     * (login declarations, security keys) must have been removed by the caller.
     *
     * @param fullFeature true for a Text Request in full feature phase, where only
     *     MaxRecvDataSegmentLength may be renegotiated (RFC 7143 13.12)
     */
    public void respond(Iterable<Map.Entry<String, String>> offer, TextParameters response, boolean fullFeature) {
        for (Map.Entry<String, String> pair : offer) {
            String name = pair.getKey();
            String answer = answer(name, pair.getValue(), fullFeature);
            if (answer != null) {
                response.add(name, answer);
            }
        }
        enforceFirstBurstNotAboveMaxBurst(response);
    }

    /** Adds our MaxRecvDataSegmentLength declaration once, if not already sent. */
    public void declareOurLimits(TextParameters response) {
        if (!declaredOurLength) {
            declaredOurLength = true;
            response.add(ParameterTable.MAX_RECV_DATA_SEGMENT_LENGTH,
                    table.targetValue(ParameterTable.MAX_RECV_DATA_SEGMENT_LENGTH));
        }
    }

    /** Keys only the login phase knows (RFC 7143 13): Reject in a Text Request. */
    private static final java.util.Set<String> LOGIN_ONLY = java.util.Set.of("InitiatorName", "TargetName",
            "SessionType", "InitiatorAlias", "TargetAlias", "TargetPortalGroupTag", "AuthMethod");

    /** RFC 7143 13.25: obsoleted RFC 3720 marker intervals MUST be answered with Reject. */
    private static final java.util.Set<String> MARKER_INTERVALS = java.util.Set.of("IFMarkInt", "OFMarkInt");

    /** AuthMethod and the keys of the authentication methods (RFC 7143 12). */
    public static boolean securityKey(String key) {
        return key.equals("AuthMethod") || key.startsWith("CHAP_") || key.startsWith("SRP_")
                || key.startsWith("KRB_") || key.startsWith("SPKM_");
    }

    /**
     * Our offers for the limit keys the initiator has not negotiated ({@code negotiatedByInitiator})
     * although their RFC default is beyond what we accept — a MaxBurstLength above ours,
     * ImmediateData=Yes when we say No, HeaderDigest=None when we require CRC32C: otherwise that
     * default would silently apply. Each key is offered once; the initiator must answer before the
     * login may end (RFC 7143 6.2, 11.13.3: the response carrying offers has T=0).
     */
    public TextParameters offersFor(java.util.Set<String> negotiatedByInitiator) {
        TextParameters offers = new TextParameters();
        for (String name : LIMITS) {
            KeyDefinition key = table.key(name);
            if (negotiatedByInitiator.contains(name) || offered.containsKey(name) || (discovery && key.discoveryIrrelevant())) {
                continue;
            }
            String ours = ourOffer(key);
            if (!acceptable(key, key.defaultValue(), ours)) {
                offered.put(name, ours);
                offers.add(name, ours);
            }
        }
        return offers;
    }

    /** True while an offer of ours waits for the initiator's answer. */
    public boolean offersPending() {
        return !offered.isEmpty();
    }

    /** Why the initiator's answer to one of our offers is unusable, or null. */
    public String refusedOffer() {
        return refusedOffer;
    }

    private String ourOffer(KeyDefinition key) {
        return key.type() == KeyType.LIST ? String.join(",", key.values()) : table.targetValue(key.name());
    }

    /** Whether {@code result} for {@code key} is within what we offered ({@code ours}). */
    private static boolean acceptable(KeyDefinition key, String result, String ours) {
        switch (key.type()) {
            case NUMERIC_MIN -> {
                Long n = parseNumber(result);
                return n != null && n >= key.min() && n <= Long.parseLong(ours);
            }
            case BOOLEAN_AND -> {
                return result.equals("No") || (result.equals("Yes") && ours.equals("Yes"));
            }
            case BOOLEAN_OR -> {
                return result.equals("Yes") || (result.equals("No") && ours.equals("No"));
            }
            case LIST -> {
                return key.values().contains(result);
            }
            default -> {
                return true;
            }
        }
    }

    /** The initiator's answer to our offer of {@code name} (RFC 7143 6.2: never answered back). */
    private void offerAnswered(String name, String result) {
        String ours = offered.remove(name);
        KeyDefinition key = table.key(name);
        if (result.equals(NOT_UNDERSTOOD) || result.equals(IRRELEVANT) || result.equals(REJECT)
                || !acceptable(key, result, ours)) {
            refusedOffer = "the initiator answered " + name + "=" + result + " to our " + name + "=" + ours;
            return;
        }
        values.put(name, result);
    }

    /** The answer for one key, or null when none is sent (a declaration). */
    String answer(String name, String offered, boolean fullFeature) {
        if (this.offered.containsKey(name) && !fullFeature) {
            offerAnswered(name, offered);
            return null;
        }
        if (offered.equals(NOT_UNDERSTOOD) || offered.equals(IRRELEVANT) || offered.equals(REJECT)) {
            // The initiator's answer to one of our declarations: answers are never answered
            // (RFC 7143 6.2); the declaration simply does not apply.
            return null;
        }
        if (fullFeature && (LOGIN_ONLY.contains(name) || securityKey(name))) {
            return REJECT; // RFC 7143 6: login-only keys cannot be negotiated in full feature phase
        }
        if (MARKER_INTERVALS.contains(name)) {
            return REJECT;
        }
        KeyDefinition key = table.key(name);
        if (key == null) {
            return NOT_UNDERSTOOD; // unknown, including X- and X# extension keys (RFC 7143 13.5.4)
        }
        if (!key.initiatorMaySend()) {
            return REJECT;
        }
        if (fullFeature && !name.equals(ParameterTable.MAX_RECV_DATA_SEGMENT_LENGTH)) {
            return REJECT;
        }
        if (discovery && key.discoveryIrrelevant()) {
            return IRRELEVANT;
        }
        String ours = table.targetValue(name);
        switch (key.type()) {
            case DECLARATIVE -> {
                Long n = parseNumber(offered);
                if (n == null || n < key.min() || n > key.max()) {
                    return REJECT;
                }
                initiatorMaxRecvDataSegmentLength = n.intValue();
                return null;
            }
            case NUMERIC_MIN, NUMERIC_MAX -> {
                Long n = parseNumber(offered);
                if (n == null || n < key.min() || n > key.max()) {
                    return REJECT;
                }
                long our = Long.parseLong(ours);
                long result = key.type() == KeyType.NUMERIC_MIN ? Math.min(n, our) : Math.max(n, our);
                values.put(name, Long.toString(result));
                return Long.toString(result);
            }
            case BOOLEAN_AND, BOOLEAN_OR -> {
                if (!offered.equals("Yes") && !offered.equals("No")) {
                    return REJECT;
                }
                boolean theirs = offered.equals("Yes");
                boolean our = ours.equals("Yes");
                boolean result = key.type() == KeyType.BOOLEAN_AND ? theirs && our : theirs || our;
                String answer = result ? "Yes" : "No";
                values.put(name, answer);
                return answer;
            }
            case LIST -> {
                for (String candidate : offered.split(",", -1)) {
                    if (key.values().contains(candidate)) {
                        values.put(name, candidate);
                        return candidate;
                    }
                }
                return REJECT;
            }
            default -> throw new IllegalStateException("unhandled key type " + key.type());
        }
    }

    /** RFC 7143 13.14: FirstBurstLength MUST NOT exceed MaxBurstLength. */
    private void enforceFirstBurstNotAboveMaxBurst(TextParameters response) {
        long first = Long.parseLong(values.get(ParameterTable.FIRST_BURST_LENGTH));
        long max = Long.parseLong(values.get(ParameterTable.MAX_BURST_LENGTH));
        if (first > max) {
            values.put(ParameterTable.FIRST_BURST_LENGTH, Long.toString(max));
            response.replace(ParameterTable.FIRST_BURST_LENGTH, Long.toString(max));
        }
    }

    /** Decimal or 0x-hex numerical value (RFC 7143 5.1); null when malformed or too large. */
    static Long parseNumber(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
                return null;
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public String value(String name) {
        return values.get(name);
    }

    public int intValue(String name) {
        return Integer.parseInt(values.get(name));
    }

    public boolean boolValue(String name) {
        return "Yes".equals(values.get(name));
    }

    public int initiatorMaxRecvDataSegmentLength() {
        return initiatorMaxRecvDataSegmentLength;
    }

    /** A snapshot for display (management's session view). */
    public Map<String, String> snapshot() {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove("IFMarker");
        copy.remove("OFMarker");
        copy.put("InitiatorMaxRecvDataSegmentLength", Integer.toString(initiatorMaxRecvDataSegmentLength));
        return copy;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
