package io.jtgt.iscsi.login;

import static io.jtgt.iscsi.login.KeyType.BOOLEAN_AND;
import static io.jtgt.iscsi.login.KeyType.BOOLEAN_OR;
import static io.jtgt.iscsi.login.KeyType.DECLARATIVE;
import static io.jtgt.iscsi.login.KeyType.LIST;
import static io.jtgt.iscsi.login.KeyType.NUMERIC_MAX;
import static io.jtgt.iscsi.login.KeyType.NUMERIC_MIN;

import io.jtgt.iscsi.server.TransportSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operational keys we negotiate (RFC 7143 13) and the values we offer for them: the one
 * table login negotiation is driven by. Login-only declarations (InitiatorName, TargetName,
 * SessionType, AuthMethod) are handled by the login state machine itself.
 */
public final class ParameterTable {

    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "MaxRecvDataSegmentLength";
    public static final String MAX_BURST_LENGTH = "MaxBurstLength";
    public static final String FIRST_BURST_LENGTH = "FirstBurstLength";
    public static final String IMMEDIATE_DATA = "ImmediateData";
    public static final String INITIAL_R2T = "InitialR2T";
    public static final String MAX_OUTSTANDING_R2T = "MaxOutstandingR2T";
    public static final String DATA_PDU_IN_ORDER = "DataPDUInOrder";
    public static final String DATA_SEQUENCE_IN_ORDER = "DataSequenceInOrder";
    public static final String ERROR_RECOVERY_LEVEL = "ErrorRecoveryLevel";
    public static final String HEADER_DIGEST = "HeaderDigest";
    public static final String DATA_DIGEST = "DataDigest";
    public static final String DEFAULT_TIME2WAIT = "DefaultTime2Wait";
    public static final String DEFAULT_TIME2RETAIN = "DefaultTime2Retain";
    public static final String MAX_CONNECTIONS = "MaxConnections";
    public static final String TARGET_PORTAL_GROUP_TAG = "TargetPortalGroupTag";
    public static final String TARGET_ALIAS = "TargetAlias";
    public static final String TARGET_ADDRESS = "TargetAddress";
    public static final String TASK_REPORTING = "TaskReporting";
    public static final String ISCSI_PROTOCOL_LEVEL = "iSCSIProtocolLevel";

    private static final long MAX_24 = TransportSettings.MAX_LENGTH;

    private final Map<String, KeyDefinition> keys = new LinkedHashMap<>();
    private final Map<String, String> targetValues = new LinkedHashMap<>();
    private final TransportSettings settings;
    private final List<String> headerDigests;
    private final List<String> dataDigests;

    /** Our limits and the digests {@code settings} allows. */
    public ParameterTable(TransportSettings settings) {
        this(settings, settings.headerDigests(), settings.dataDigests());
    }

    /**
     * @param settings our limits
     * @param digests the digests we accept for both HeaderDigest and DataDigest
     */
    public ParameterTable(TransportSettings settings, List<String> digests) {
        this(settings, digests, digests);
    }

    private ParameterTable(TransportSettings settings, List<String> headerDigests, List<String> dataDigests) {
        this.settings = settings;
        this.headerDigests = List.copyOf(headerDigests);
        this.dataDigests = List.copyOf(dataDigests);
        // RFC 7143 13.12: declared by each side for its own receiving.
        define(new KeyDefinition(MAX_RECV_DATA_SEGMENT_LENGTH, DECLARATIVE, "8192", 512, MAX_24, List.of(),
                false, true, false), settings.maxRecvDataSegmentLength());
        define(KeyDefinition.numeric(MAX_BURST_LENGTH, NUMERIC_MIN, 262144, 512, MAX_24, true), settings.maxBurstLength());
        define(KeyDefinition.numeric(FIRST_BURST_LENGTH, NUMERIC_MIN, 65536, 512, MAX_24, true), settings.firstBurstLength());
        define(KeyDefinition.bool(IMMEDIATE_DATA, BOOLEAN_AND, true, true), yesNo(settings.immediateData()));
        define(KeyDefinition.bool(INITIAL_R2T, BOOLEAN_OR, true, true), yesNo(settings.initialR2T()));
        define(KeyDefinition.numeric(MAX_OUTSTANDING_R2T, NUMERIC_MIN, 1, 1, 65535, true), settings.maxOutstandingR2T());
        // We place data at any offset but check order; offering Yes makes the OR result Yes.
        define(KeyDefinition.bool(DATA_PDU_IN_ORDER, BOOLEAN_OR, true, true), "Yes");
        define(KeyDefinition.bool(DATA_SEQUENCE_IN_ORDER, BOOLEAN_OR, true, true), "Yes");
        define(KeyDefinition.numeric(ERROR_RECOVERY_LEVEL, NUMERIC_MIN, 0, 0, 2, false), 0);
        define(new KeyDefinition(HEADER_DIGEST, LIST, "None", 0, 0, List.copyOf(headerDigests), false, true, false),
                null);
        define(new KeyDefinition(DATA_DIGEST, LIST, "None", 0, 0, List.copyOf(dataDigests), false, true, false),
                null);
        define(KeyDefinition.numeric(DEFAULT_TIME2WAIT, NUMERIC_MAX, 2, 0, 3600, false), settings.defaultTime2Wait());
        define(KeyDefinition.numeric(DEFAULT_TIME2RETAIN, NUMERIC_MIN, 20, 0, 3600, false), settings.defaultTime2Retain());
        define(KeyDefinition.numeric(MAX_CONNECTIONS, NUMERIC_MIN, 1, 1, 65535, true), 1);
        // RFC 7143 13.23: we answer every task the RFC 3720 way (no ResponseFence, no FastAbort).
        define(new KeyDefinition(TASK_REPORTING, LIST, "RFC3720", 0, 0, List.of("RFC3720"), true, true, true), null);
        // RFC 7144 / RFC 7143 13.24: level 1 = RFC 7143; the result is the minimum.
        define(KeyDefinition.numeric(ISCSI_PROTOCOL_LEVEL, NUMERIC_MIN, 1, 0, 31, false), 1);
        // RFC 3720 markers, obsoleted by RFC 7143 13.25 but still sent by older initiators: "No" (which
        // 13.25 allows instead of Reject) keeps those initiators working; we never use markers.
        define(KeyDefinition.bool("IFMarker", BOOLEAN_AND, false, true), "No");
        define(KeyDefinition.bool("OFMarker", BOOLEAN_AND, false, true), "No");
        // Declared by the target only.
        define(new KeyDefinition(TARGET_PORTAL_GROUP_TAG, DECLARATIVE, "1", 0, 65535, List.of(), true, false, true), null);
        define(new KeyDefinition(TARGET_ALIAS, DECLARATIVE, "", 0, 0, List.of(), true, false, false), null);
        define(new KeyDefinition(TARGET_ADDRESS, DECLARATIVE, "", 0, 0, List.of(), true, false, false), null);
    }

    /** The settings our values come from. */
    public TransportSettings settings() {
        return settings;
    }

    /**
     * This table for a target with its own limits ({@link TransportSettings#forTarget}): the same
     * digest choices, the target's numbers.
     */
    public ParameterTable forTarget(io.jtgt.scsi.config.TargetLimits limits) {
        if (limits == null || limits.isEmpty()) {
            return this;
        }
        return new ParameterTable(settings.forTarget(limits), headerDigests, dataDigests);
    }

    private void define(KeyDefinition key, Object ourValue) {
        keys.put(key.name(), key);
        if (ourValue != null) {
            targetValues.put(key.name(), ourValue.toString());
        }
    }

    private static String yesNo(boolean b) {
        return b ? "Yes" : "No";
    }

    /** The definition of {@code name}, or null for a key we do not understand. */
    public KeyDefinition key(String name) {
        return keys.get(name);
    }

    /** What we offer for {@code name} (our limit or preference), or null. */
    public String targetValue(String name) {
        return targetValues.get(name);
    }

    public Iterable<KeyDefinition> keys() {
        return keys.values();
    }
}
