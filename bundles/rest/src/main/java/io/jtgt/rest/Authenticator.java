package io.jtgt.rest;

import java.util.Optional;
import java.util.Set;

/** Checks a user name and password; the REST API's only view of the JAAS realm. */
@FunctionalInterface
public interface Authenticator {

    /** The user's roles, or empty when the name or the password is wrong. */
    Optional<Set<String>> roles(String user, String password);
}
