package io.jtgt.iscsi.auth;

import io.jtgt.iscsi.login.AuthExchange;
import io.jtgt.iscsi.login.Authenticator;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.login.NoAuthentication;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The security stage driven by {@link AccessRules}: a target (or discovery) whose rule has
 * credentials requires CHAP — AuthMethod=None is refused — and one without accepts None. The
 * rule's initiator list decides who may log in at all (0x0202) and who sees the target in
 * SendTargets.
 */
public final class ChapAuthenticator implements Authenticator {

    public static final String CHAP = "CHAP";

    private final AccessRules rules;
    private final SecureRandom random = new SecureRandom();

    public ChapAuthenticator(AccessRules rules) {
        this.rules = rules;
    }

    private Optional<AccessRule> rule(String targetName) {
        return rules.rule(targetName == null ? AccessRule.DISCOVERY : targetName);
    }

    @Override
    public List<String> methods(String targetName) {
        return rule(targetName).map(AccessRule::credentials).isPresent() ? List.of(CHAP)
                : List.of(NoAuthentication.NONE);
    }

    @Override
    public AuthExchange begin(String method, String initiatorName, String targetName) {
        Optional<AccessRule> rule = rule(targetName);
        if (CHAP.equals(method)) {
            if (rule.isEmpty() || rule.get().credentials() == null) {
                // The rule went away between offer and start: refuse rather than let anyone in.
                return (keys, response) -> AuthExchange.State.FAILED;
            }
            return new ChapExchange(rule.get().credentials(), rule.get().algorithms(), random);
        }
        if (NoAuthentication.NONE.equals(method) && (rule.isEmpty() || rule.get().credentials() == null)) {
            return new NoAuthentication().begin(method, initiatorName, targetName);
        }
        return (keys, response) -> {
            throw new io.jtgt.iscsi.login.LoginException(LoginStatus.AUTHENTICATION_FAILURE,
                    "AuthMethod " + method + " not allowed");
        };
    }

    @Override
    public boolean authorized(String initiatorName, String targetName) {
        return rule(targetName).map(r -> r.admits(initiatorName)).orElse(true);
    }
}
