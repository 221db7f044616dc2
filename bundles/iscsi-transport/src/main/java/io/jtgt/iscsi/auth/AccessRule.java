package io.jtgt.iscsi.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may log in to one target (or open discovery sessions): one {@code io.jtgt.auth} factory
 * configuration. {@link #toString()} never shows a secret.
 *
 * @param target the target name (IQN), or {@link #DISCOVERY} for discovery sessions
 * @param credentials CHAP credentials; null = no authentication (AuthMethod=None)
 * @param initiators the InitiatorNames allowed, lower case; empty = every initiator
 * @param algorithms the CHAP algorithms allowed (the strongest one the initiator offers is used)
 */
public record AccessRule(String target, Credentials credentials, Set<String> initiators,
        Set<ChapAlgorithm> algorithms) {

    /** The {@code target} value of the rule for discovery sessions. */
    public static final String DISCOVERY = "discovery";

    public static final String TARGET = "target";
    public static final String USER_NAME = "userName";
    public static final String SECRET = "secret";
    public static final String MUTUAL_USER_NAME = "mutualUserName";
    public static final String MUTUAL_SECRET = "mutualSecret";
    public static final String INITIATORS = "initiators";
    public static final String CHAP_ALGORITHMS = "chapAlgorithms";

    public AccessRule {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException(TARGET + " is required (a target IQN or '" + DISCOVERY + "')");
        }
        initiators = Set.copyOf(initiators);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException(CHAP_ALGORITHMS + ": at least one of SHA-256, SHA-1, MD5");
        }
        algorithms = Set.copyOf(algorithms);
    }

    /** Reads an {@code io.jtgt.auth} configuration; the message of a failure names the property. */
    public static AccessRule fromProperties(Map<String, ?> properties) {
        String target = string(properties, TARGET);
        String user = string(properties, USER_NAME);
        String secret = string(properties, SECRET);
        String mutualUser = string(properties, MUTUAL_USER_NAME);
        String mutualSecret = string(properties, MUTUAL_SECRET);
        Credentials credentials = null;
        if (user != null || secret != null || mutualUser != null || mutualSecret != null) {
            if (user == null || secret == null) {
                throw new IllegalArgumentException(target + ": " + USER_NAME + " and " + SECRET
                        + " are both required when any CHAP property is set");
            }
            try {
                credentials = new Credentials(user, secret, mutualUser, mutualSecret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(target + ": " + e.getMessage(), e);
            }
        }
        Set<String> initiators = new LinkedHashSet<>();
        for (String name : list(properties.get(INITIATORS))) {
            initiators.add(name.toLowerCase(Locale.ROOT));
        }
        Set<ChapAlgorithm> algorithms = EnumSet.allOf(ChapAlgorithm.class);
        List<String> names = list(properties.get(CHAP_ALGORITHMS));
        if (!names.isEmpty()) {
            algorithms = EnumSet.noneOf(ChapAlgorithm.class);
            for (String name : names) {
                ChapAlgorithm algorithm = ChapAlgorithm.parse(name);
                if (algorithm == null) {
                    throw new IllegalArgumentException(CHAP_ALGORITHMS + ": unknown algorithm '" + name
                            + "' (SHA-256, SHA-1, MD5)");
                }
                algorithms.add(algorithm);
            }
        }
        return new AccessRule(target, credentials, initiators, algorithms);
    }

    /**
     * A rule admitting nobody, for a target whose configuration is unreadable: failing closed.
     * (No initiator has an empty InitiatorName: login refuses that with 0x0207.)
     */
    public static AccessRule lockedOut(String target) {
        return new AccessRule(target, null, Set.of(""), EnumSet.allOf(ChapAlgorithm.class));
    }

    /** True when this initiator may log in (IQNs compare case-insensitively, RFC 3722). */
    public boolean admits(String initiatorName) {
        return initiators.isEmpty() || initiators.contains(initiatorName.toLowerCase(Locale.ROOT));
    }

    private static String string(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static List<String> list(Object value) {
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        Iterable<?> parts = value instanceof Object[] array ? List.of(array)
                : value instanceof Iterable<?> iterable ? iterable : List.of(value.toString().split(","));
        for (Object part : parts) {
            String item = String.valueOf(part).trim();
            if (!item.isEmpty()) {
                result.add(item);
            }
        }
        return result;
    }
}
