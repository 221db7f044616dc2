package io.jtgt.itests.karaf;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/** Runs Karaf shell commands inside the container as an admin user would (in a Pax Exam test). */
final class KarafShell {

    private final SessionFactory sessionFactory;

    KarafShell(SessionFactory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    /**
     * Runs a command, returning what it printed. Commands appear asynchronously (jtgt:list once its
     * ManagementService reference is satisfied, feature:* once Karaf's boot features are done):
     * retry, bounded, while the command is not found.
     */
    String run(String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return runOnce(command);
            } catch (Exception e) {
                // Gogo's CommandNotFoundException, matched by name: its package is Karaf-internal.
                if (!e.getClass().getSimpleName().equals("CommandNotFoundException") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /** The command fails with a message containing {@code expected}. */
    void assertRefused(String command, String expected) throws Exception {
        try {
            String output = run(command);
            fail(command + " should fail, printed: " + output);
        } catch (IllegalArgumentException e) {
            assertTrue(command + ": " + e.getMessage(), e.getMessage().contains(expected));
        }
    }

    private String runOnce(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("itest"));
        admin.getPrincipals().add(new RolePrincipal("admin"));
        admin.getPrincipals().add(new RolePrincipal("manager"));
        admin.getPrincipals().add(new RolePrincipal("viewer"));
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
