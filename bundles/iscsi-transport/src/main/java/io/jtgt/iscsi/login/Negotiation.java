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

    /** The answer for one key, or null when none is sent (a declaration). */
    String answer(String name, String offered, boolean fullFeature) {
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
