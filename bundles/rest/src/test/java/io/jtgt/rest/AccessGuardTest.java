package io.jtgt.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessGuardTest {

    private static final String SELF = "http://127.0.0.1:8181";

    /** A realm of three users: an admin, a viewer, and one with neither role. */
    private static final Map<String, String> PASSWORDS = Map.of("jtgt", "pw:with:colons", "watcher", "w", "nobody", "n");
    private static final Map<String, Set<String>> ROLES = Map.of("jtgt", Set.of("admin", "viewer", "ssh"),
            "watcher", Set.of("viewer"), "nobody", Set.of("ssh"));

    private final AccessGuard guard = new AccessGuard((user, password) -> password.equals(PASSWORDS.get(user))
            ? Optional.of(ROLES.get(user)) : Optional.empty(), "karaf", "viewer", "admin");

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private int status(String method, String authorization) {
        return guard.check(method, authorization, null, SELF).status();
    }

    @Test
    void noCredentialsOrWrongOnesAre401() {
        assertEquals(401, status("GET", null));
        assertEquals(401, status("GET", "Bearer abc"));
        assertEquals(401, status("GET", "Basic !!notbase64"));
        assertEquals(401, status("GET", basic("jtgt", "wrong")));
        assertEquals(401, status("GET", basic("stranger", "x")));
        assertEquals(401, status("POST", null), "no anonymous writes");
        assertEquals("wrong user name or password", guard.check("GET", basic("jtgt", "wrong"), null, SELF).message());
        assertEquals("Basic realm=\"karaf\", charset=\"UTF-8\"", guard.challenge());
    }

    @Test
    void readsNeedTheReadOrWriteRoleWritesTheWriteRole() {
        assertEquals(0, status("GET", basic("jtgt", "pw:with:colons")), "a password may hold colons (RFC 7617 2)");
        assertEquals(0, status("POST", basic("jtgt", "pw:with:colons")));
        assertEquals(0, status("DELETE", basic("jtgt", "pw:with:colons")));
        assertEquals(0, status("GET", basic("watcher", "w")));
        assertEquals(0, status("HEAD", basic("watcher", "w")));
        assertEquals(403, status("PUT", basic("watcher", "w")));
        assertEquals(403, status("DELETE", basic("watcher", "w")));
        assertEquals(403, status("GET", basic("nobody", "n")));
        AccessGuard.Decision denied = guard.check("POST", basic("watcher", "w"), null, SELF);
        assertEquals("watcher", denied.user());
        assertEquals("user watcher lacks role admin, which changes need", denied.message());
        assertEquals("jtgt", guard.check("GET", basic("jtgt", "pw:with:colons"), null, SELF).user());
    }

    @Test
    void crossOriginWritesAreRefused() {
        String admin = basic("jtgt", "pw:with:colons");
        assertEquals(403, guard.check("POST", admin, "http://evil.example", SELF).status());
        assertEquals(0, guard.check("POST", admin, SELF, SELF).status());
        assertEquals(0, guard.check("GET", admin, "http://evil.example", SELF).status(), "reads change nothing");
        assertTrue(guard.check("DELETE", admin, "null", SELF).message().startsWith("cross-origin change refused"));
    }

    @Test
    void basicCredentialsParse() {
        assertArrayEquals(new String[] {"a", "b:c"}, AccessGuard.basicCredentials(basic("a", "b:c")));
        assertArrayEquals(new String[] {"ü", "p"}, AccessGuard.basicCredentials("basic  " + Base64.getEncoder()
                .encodeToString("ü:p".getBytes(StandardCharsets.UTF_8))));
        assertNull(AccessGuard.basicCredentials(basic("", "x")), "no user name");
        assertNull(AccessGuard.basicCredentials("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())));
        assertNull(AccessGuard.basicCredentials("Basic"));
    }
}
