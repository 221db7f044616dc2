package io.jtgt.iscsi.osgi;

import io.jtgt.iscsi.auth.AccessRule;
import io.jtgt.iscsi.auth.AccessRules;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code io.jtgt.auth} factory configuration (one per target, plus {@code target = discovery}):
 * {@code target}, {@code userName}, {@code secret}, {@code mutualUserName}, {@code mutualSecret},
 * {@code initiators} (comma-separated IQNs; empty = all), optional {@code chapAlgorithms}. Keeps
 * the server's {@link AccessRules} in step with it. A configuration that cannot be read locks its
 * target (fails closed) and says why in one log line, never showing a secret.
 */
@Component(
        service = {},
        configurationPid = AccessRuleComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
public final class AccessRuleComponent {

    public static final String FACTORY_PID = "io.jtgt.auth";

    private static final Logger LOG = LoggerFactory.getLogger(AccessRuleComponent.class);

    private final AccessRules rules;
    private final String pid;

    @Activate
    public AccessRuleComponent(@Reference IscsiServerComponent server, Map<String, Object> properties) {
        this.rules = server.server().accessRules();
        this.pid = String.valueOf(properties.get("service.pid"));
        apply(rules, pid, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(rules, pid, properties);
    }

    @Deactivate
    void deactivate() {
        rules.remove(pid);
    }

    /** Puts the rule of one configuration into {@code rules}; also used to preload them at start. */
    static void apply(AccessRules rules, String pid, Map<String, ?> properties) {
        try {
            AccessRule rule = AccessRule.fromProperties(properties);
            rules.put(pid, rule);
            LOG.info("{}: {} requires {}, {}", pid, rule.target(),
                    rule.credentials() == null ? "no authentication"
                            : rule.credentials().mutual() ? "CHAP (mutual available)" : "CHAP",
                    rule.initiators().isEmpty() ? "every initiator" : "initiators " + rule.initiators());
            if (rule.credentials() != null && rule.credentials().secret().length() < 12) {
                LOG.warn("{}: the CHAP secret is shorter than 12 bytes (96 bits); RFC 7143 12.1.3 warns that"
                        + " short secrets fall to off-line dictionary attacks", pid);
            }
        } catch (IllegalArgumentException e) {
            Object target = properties.get(AccessRule.TARGET);
            if (target != null && !target.toString().isBlank()) {
                rules.put(pid, AccessRule.lockedOut(target.toString().trim()));
                LOG.error("{}: {}; nobody may log in to {} until this is fixed", pid, e.getMessage(), target);
            } else {
                rules.remove(pid);
                LOG.error("{}: {}; ignored", pid, e.getMessage());
            }
        }
    }
}
