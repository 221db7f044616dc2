package io.jtgt.iscsi.login;

import java.util.List;

/**
 * One row of the negotiation table.
 *
 * @param name the key as on the wire
 * @param type how the result is computed
 * @param defaultValue the RFC default, in force when the key is not negotiated
 * @param min smallest acceptable number (numeric keys)
 * @param max largest acceptable number (numeric keys)
 * @param values the values we support, most preferred first (list keys); empty otherwise
 * @param sessionWide true for session-wide (SW) keys, false for connection-only (CO) keys
 * @param initiatorMaySend false for keys only the target declares (TargetAlias …)
 * @param discoveryIrrelevant true when RFC 7143 12 says "Irrelevant when: SessionType=Discovery"
 */
public record KeyDefinition(
        String name,
        KeyType type,
        String defaultValue,
        long min,
        long max,
        List<String> values,
        boolean sessionWide,
        boolean initiatorMaySend,
        boolean discoveryIrrelevant) {

    static KeyDefinition numeric(String name, KeyType type, long def, long min, long max, boolean discoveryIrrelevant) {
        return new KeyDefinition(name, type, Long.toString(def), min, max, List.of(), true, true, discoveryIrrelevant);
    }

    static KeyDefinition bool(String name, KeyType type, boolean def, boolean discoveryIrrelevant) {
        return new KeyDefinition(name, type, def ? "Yes" : "No", 0, 0, List.of(), true, true, discoveryIrrelevant);
    }

    boolean numeric() {
        return type == KeyType.NUMERIC_MIN || type == KeyType.NUMERIC_MAX;
    }

    boolean bool() {
        return type == KeyType.BOOLEAN_AND || type == KeyType.BOOLEAN_OR;
    }
}
