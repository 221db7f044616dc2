package io.jtgt.iscsi.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.auth.AccessRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessRuleComponentTest {

    private static final String TARGET = "iqn.2026-11.test:disk";
    private final AccessRules rules = new AccessRules();

    @Test
    void aValidConfigurationBecomesTheTargetsRule() {
        AccessRuleComponent.apply(rules, "io.jtgt.auth~disk", Map.of("target", TARGET, "userName", "u",
                "secret", "a-long-enough-secret", "initiators", "iqn.2026-11.test:a,iqn.2026-11.test:b"));
        assertEquals("u", rules.rule(TARGET).orElseThrow().credentials().userName());
        assertTrue(rules.rule(TARGET).orElseThrow().admits("iqn.2026-11.test:b"));
    }

    @Test
    void anUnreadableConfigurationLocksItsTargetInsteadOfOpeningIt() {
        AccessRuleComponent.apply(rules, "io.jtgt.auth~disk", Map.of("target", TARGET, "secret", "no-user-name"));
        assertFalse(rules.rule(TARGET).orElseThrow().admits("iqn.2026-11.test:anyone"));
    }

    @Test
    void aConfigurationWithoutTargetIsIgnored() {
        AccessRuleComponent.apply(rules, "io.jtgt.auth~x", Map.of("userName", "u", "secret", "s"));
        assertTrue(rules.isEmpty());
    }

    /** What the administration service asks before it answers an access change. */
    @Test
    void inForceTellsWhetherLoginsMeetAConfigurationYet() {
        Map<String, Object> withChap = Map.of("target", TARGET, "userName", "u", "secret", "a-long-enough-secret");
        Map<String, Object> otherSecret = Map.of("target", TARGET, "userName", "u", "secret", "another-long-secret");
        assertTrue(rules.inForce(TARGET, null), "no rule yet: open");
        assertFalse(rules.inForce(TARGET, withChap), "not delivered yet");
        AccessRuleComponent.apply(rules, "io.jtgt.auth~disk", withChap);
        assertTrue(rules.inForce(TARGET.toUpperCase(), withChap));
        assertFalse(rules.inForce(TARGET, otherSecret), "a changed secret is a different rule");
        assertFalse(rules.inForce(TARGET, null));
        Map<String, Object> unreadable = Map.of("target", TARGET, "secret", "no-user-name");
        assertFalse(rules.inForce(TARGET, unreadable));
        AccessRuleComponent.apply(rules, "io.jtgt.auth~disk", unreadable);
        assertTrue(rules.inForce(TARGET, unreadable), "the locked-out rule stands for an unreadable one");
        rules.remove("io.jtgt.auth~disk");
        assertTrue(rules.inForce(TARGET, null));
    }
}
