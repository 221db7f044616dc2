package io.jtgt.admin;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.AdminService.AccessView;
import io.jtgt.scsi.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code io.jtgt.auth} configuration as the iSCSI transport reads it: {@code target},
 * {@code userName}, {@code secret}, {@code mutualUserName}, {@code mutualSecret}, {@code initiators}
 * (comma-separated; absent = every initiator). Other keys (e.g. {@code chapAlgorithms}) are kept
 * as they are. {@link #toString()} masks the secrets.
 */
record AccessRuleConfig(String target, String userName, String secret, String mutualUserName, String mutualSecret,
        List<String> initiators, Map<String, String> others) {

    static final String TARGET = "target";
    static final String USER_NAME = "userName";
    static final String SECRET = "secret";
    static final String MUTUAL_USER_NAME = "mutualUserName";
    static final String MUTUAL_SECRET = "mutualSecret";
    static final String INITIATORS = "initiators";
    /** RFC 7143 12.1.3: secrets shorter than 96 bits fall to off-line dictionary attacks. */
    static final int MIN_SECRET_BYTES = 12;
    /** RFC 7143 12.1.3 recommends secrets of at most 16 bytes for interoperability; 255 is a hard cap. */
    static final int MAX_SECRET_BYTES = 255;

    AccessRuleConfig {
        initiators = List.copyOf(initiators);
        others = Map.copyOf(others);
    }

    static AccessRuleConfig empty(String target) {
        return new AccessRuleConfig(target, null, null, null, null, List.of(), Map.of());
    }

    /** Reads a stored configuration; a broken one is an error naming the property. */
    static AccessRuleConfig fromProperties(Map<String, ?> props) {
        String target = text(props.get(TARGET));
        if (target == null) {
            throw new ConfigException("access rule: " + TARGET + " is required");
        }
        List<String> initiators = new ArrayList<>();
        String list = text(props.get(INITIATORS));
        if (list != null) {
            for (String name : list.split(",")) {
                if (!name.isBlank() && !initiators.contains(name.trim())) {
                    initiators.add(name.trim());
                }
            }
        }
        Map<String, String> others = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!isKnown(k) && !Properties.isFrameworkKey(k) && v != null) {
                others.put(k, String.valueOf(v));
            }
        });
        return new AccessRuleConfig(target, text(props.get(USER_NAME)), text(props.get(SECRET)),
                text(props.get(MUTUAL_USER_NAME)), text(props.get(MUTUAL_SECRET)), initiators, others);
    }

    private static boolean isKnown(String key) {
        return switch (key) {
            case TARGET, USER_NAME, SECRET, MUTUAL_USER_NAME, MUTUAL_SECRET, INITIATORS -> true;
            default -> false;
        };
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String s = value instanceof String[] a ? String.join(",", a) : String.valueOf(value);
        s = s.trim();
        return s.isEmpty() ? null : s;
    }

    /** Validates CHAP settings as a command would: the messages name the field, never a secret. */
    AccessRuleConfig withChap(String user, String key, String mutualUser, String mutualKey) {
        String owner = "target " + target;
        if (user == null || user.isBlank()) {
            throw new ConfigException(owner + ": " + USER_NAME + " is required");
        }
        checkSecret(owner, SECRET, key);
        boolean mutual = mutualUser != null && !mutualUser.isBlank();
        boolean mutualSecretGiven = mutualKey != null && !mutualKey.isEmpty();
        if (mutual != mutualSecretGiven) {
            throw new ConfigException(owner + ": " + MUTUAL_USER_NAME + " and " + MUTUAL_SECRET + " go together");
        }
        if (mutual) {
            checkSecret(owner, MUTUAL_SECRET, mutualKey);
            if (mutualKey.equals(key)) {
                // RFC 7143 12.1.3: a secret that authenticates initiators MUST NOT authenticate targets.
                throw new ConfigException(owner + ": " + MUTUAL_SECRET + " must differ from " + SECRET
                        + " (RFC 7143 12.1.3)");
            }
        }
        return new AccessRuleConfig(target, user.trim(), key, mutual ? mutualUser.trim() : null,
                mutual ? mutualKey : null, initiators, others);
    }

    private static void checkSecret(String owner, String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new ConfigException(owner + ": " + field + " is required");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
            throw new ConfigException(owner + ": " + field + " has " + bytes + " bytes; CHAP secrets need "
                    + MIN_SECRET_BYTES + ".." + MAX_SECRET_BYTES + " (RFC 7143 12.1.3)");
        }
    }

    AccessRuleConfig withoutChap() {
        return new AccessRuleConfig(target, null, null, null, null, initiators, others);
    }

    AccessRuleConfig withInitiator(String name) {
        List<String> list = new ArrayList<>(initiators);
        if (list.stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
            list.add(name);
        }
        return new AccessRuleConfig(target, userName, secret, mutualUserName, mutualSecret, list, others);
    }

    AccessRuleConfig withoutInitiator(String name) {
        List<String> list = new ArrayList<>(initiators);
        if (!list.removeIf(n -> n.equalsIgnoreCase(name))) {
            throw ConfigException.notFound("target " + target + ": initiator " + name + " is not on its list");
        }
        return new AccessRuleConfig(target, userName, secret, mutualUserName, mutualSecret, list, others);
    }

    /** True when the rule restricts nothing: no CHAP, no initiator list, nothing else. */
    boolean isOpen() {
        return userName == null && initiators.isEmpty() && others.isEmpty();
    }

    Map<String, Object> toProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(TARGET, target);
        if (userName != null) {
            props.put(USER_NAME, userName);
            props.put(SECRET, secret);
        }
        if (mutualUserName != null) {
            props.put(MUTUAL_USER_NAME, mutualUserName);
            props.put(MUTUAL_SECRET, mutualSecret);
        }
        if (!initiators.isEmpty()) {
            props.put(INITIATORS, String.join(",", initiators));
        }
        props.putAll(others);
        return props;
    }

    AccessView toView() {
        return new AccessView(target, userName, mutualUserName, initiators);
    }

    /** The lower-case form used to compare targets; {@link AdminService#DISCOVERY} as is. */
    String key() {
        return target.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "AccessRuleConfig[target=" + target + ", userName=" + userName + ", secret="
                + (secret == null ? "null" : "****") + ", mutualUserName=" + mutualUserName + ", mutualSecret="
                + (mutualSecret == null ? "null" : "****") + ", initiators=" + initiators + "]";
    }
}
