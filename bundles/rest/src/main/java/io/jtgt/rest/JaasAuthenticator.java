package io.jtgt.rest;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to a JAAS realm (Karaf: {@code karaf}, the users of etc/users.properties, the realm the
 * SSH shell uses too) and reads the roles Karaf puts into the subject as {@code RolePrincipal}s
 * (its groups already expanded to their roles). The principal class is matched by name, as
 * Karaf's own web console does, so this bundle needs no Karaf import.
 */
public final class JaasAuthenticator implements Authenticator {

    static final String ROLE_PRINCIPAL = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);

    private final String realm;

    public JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> roles(String user, String password) {
        Subject subject = new Subject();
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            login.login();
            Set<String> roles = subject.getPrincipals().stream()
                    .filter(p -> p.getClass().getName().equals(ROLE_PRINCIPAL)).map(Principal::getName)
                    .collect(Collectors.toUnmodifiableSet());
            login.logout();
            return Optional.of(roles);
        } catch (LoginException e) {
            // The user's name only: never the password; Karaf's login modules say no more either.
            LOG.debug("REST login of {} refused by realm {}: {}", user, realm, e.getMessage());
            return Optional.empty();
        }
    }
}
