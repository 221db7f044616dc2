package io.jtgt.iscsi.auth;

import io.jtgt.scsi.api.AccessRulesInForce;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access rules in force, keyed by the configuration they came from (one {@code io.jtgt.auth}
 * configuration each), looked up by target name. Changes apply to the next login; sessions
 * already logged in are not touched. Thread-safe.
 */
public final class AccessRules implements AccessRulesInForce {

    private final Map<String, AccessRule> bySource = new ConcurrentHashMap<>();

    /** Adds or replaces the rule of {@code source} (e.g. a configuration PID). */
    public void put(String source, AccessRule rule) {
        bySource.put(source, rule);
    }

    public void remove(String source) {
        bySource.remove(source);
    }

    /**
     * The rule for {@code target} ({@link AccessRule#DISCOVERY} for discovery sessions). With
     * two configurations naming the same target, the one with credentials wins (fail closed).
     */
    public Optional<AccessRule> rule(String target) {
        AccessRule found = null;
        for (AccessRule rule : bySource.values()) {
            // iSCSI names compare case-insensitively (RFC 3722): a rule spelled differently from
            // the target's configuration must still protect it.
            if (rule.target().equalsIgnoreCase(target) && (found == null || found.credentials() == null)) {
                found = rule;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Whether {@link #rule} gives what {@code properties} describe; properties that cannot be
     * read describe the locked-out rule {@code AccessRuleComponent} puts in their place.
     */
    @Override
    public boolean inForce(String target, Map<String, ?> properties) {
        Optional<AccessRule> now = rule(target);
        if (properties == null) {
            return now.isEmpty();
        }
        AccessRule expected;
        try {
            expected = AccessRule.fromProperties(properties);
        } catch (IllegalArgumentException e) {
            expected = AccessRule.lockedOut(target);
        }
        return now.isPresent() && now.get().equals(expected);
    }

    public boolean isEmpty() {
        return bySource.isEmpty();
    }

    @Override
    public String toString() {
        return bySource.values().toString();
    }
}
