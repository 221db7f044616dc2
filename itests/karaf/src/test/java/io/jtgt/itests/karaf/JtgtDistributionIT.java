package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.netty.channel.epoll.Epoll;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Boots the real distribution tar.gz (as users get it) with the default portal moved to a free
 * port, then checks the whole chain: every jtgt bundle and DS component up, {@code jtgt:list}
 * showing the default target and LUN online, and a real initiator (libiscsi) logging in to it;
 * then the jtgt:* commands creating, serving and removing a target of their own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JtgtDistributionIT {

    private static final String TARGET = "iqn.2026-11.io.jtgt:default";
    /** Created and removed by the jtgt:* commands. */
    private static final String CREATED = "iqn.2026-11.io.jtgt:commands-it";
    /** Handed from the configuring (host) JVM to the test running inside Karaf. */
    private static final String PORTAL_PROPERTY = "jtgt.itest.portal";
    private static final long WAIT_MILLIS = 60_000;

    @Inject
    private BundleContext bundleContext;

    @Inject
    private ServiceComponentRuntime scr;

    // Registered once the boot features and their components are up: allow for a slow machine.
    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessionFactory;

    @Inject
    @Filter(timeout = 60_000)
    private ManagementService management;

    @Configuration
    public Option[] config() {
        String portal = "127.0.0.1:" + freePort();
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("jtgt.distribution")).toURI().toString())
                        .name("jtgt")
                        .karafVersion("4.4.10")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                // No consoles: the test drives the shell through SessionFactory, and no SSH port can
                // then collide with a jtgt daemon running on this machine.
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/io.jtgt.portal-default.cfg", "portal", portal),
                editConfigurationFilePut("etc/system.properties", PORTAL_PROPERTY, portal),
                // The distribution resolves offline; Pax Exam's own bundles come from Central or
                // the local repository, nothing else.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        localRepository));
    }

    @Test
    public void defaultTargetServesARealInitiator() throws Exception {
        String portal = System.getProperty(PORTAL_PROPERTY);
        awaitDefaultLunOnline();

        assertJtgtBundlesActive();
        assertJtgtComponentsSatisfied();
        // The linux-x86_64 fragment must be wired to transport-classes-epoll for the native transport.
        assertTrue("Netty epoll available in the container: " + Epoll.unavailabilityCause(), Epoll.isAvailable());

        String listing = runCommandOnceRegistered("jtgt:list");
        assertTrue("jtgt:list names the default target:\n" + listing, listing.contains(TARGET));
        assertTrue("jtgt:list shows the LUN ONLINE:\n" + listing, listing.contains("ONLINE"));
        assertTrue("jtgt:list shows the portal:\n" + listing, listing.contains(portal));

        String lun0 = "iscsi://" + portal + "/" + TARGET + "/0";
        String inquiry = run("iscsi-inq", lun0);
        assertTrue("standard INQUIRY reports a disk:\n" + inquiry, inquiry.contains("DIRECT_ACCESS"));
        String capacity = run("iscsi-readcapacity16", lun0);
        // 1 GiB of 512-byte blocks: the last LBA is 2^21 - 1 (SBC-3 5.16).
        assertTrue("READ CAPACITY (16) of the default 1 GiB LUN:\n" + capacity,
                capacity.contains("RETURNED LOGICAL BLOCK ADDRESS:2097151"));
        assertTrue(capacity, capacity.contains("LOGICAL BLOCK LENGTH IN BYTES:512"));

        // Backends are hot-swappable features: without the file backend the LUN stays configured
        // but NO_BACKEND; reinstalling it brings the LUN back for new logins. No auto-refresh:
        // it would refresh this test's probe (it imports dynamically) and interrupt the test.
        runCommandOnceRegistered("feature:uninstall --no-auto-refresh jtgt-backend-file");
        awaitLunState("NO_BACKEND");
        runCommandOnceRegistered("feature:install --no-auto-refresh jtgt-backend-file");
        awaitLunState("ONLINE");
        String again = run("iscsi-readcapacity16", lun0);
        assertTrue("READ CAPACITY (16) after reinstalling the backend:\n" + again,
                again.contains("RETURNED LOGICAL BLOCK ADDRESS:2097151"));
    }

    /**
     * The jtgt:* commands end to end: a portal on a free port, a storage, a target and a LUN,
     * served to libiscsi at once and written to etc/ as .cfg files; wrong input refused with a
     * message naming the argument; CHAP listed masked; everything removed again, files included.
     */
    @Test
    public void commandsCreateServeAndRemoveATarget() throws Exception {
        awaitDefaultLunOnline();
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        String portal = "127.0.0.1:" + freePort();
        String image = Paths.get(System.getProperty("karaf.data"), "jtgt", "commands-it.img").toString();

        runCommandOnceRegistered("jtgt:portal-create 7 " + portal);
        runCommandOnceRegistered("jtgt:storage-create --size 16M --thin 4000 " + image);
        runCommandOnceRegistered("jtgt:target-create --portal-group 1=7 " + CREATED);
        assertRefused("jtgt:lun-map " + CREATED + " 0 4001", "lun.0=4001 names no storage deviceID");
        assertRefused("jtgt:lun-map " + CREATED + " zero 4000", "LUN: 'zero' is not a whole number");
        assertRefused("jtgt:storage-create 4001 " + image, "path=" + image + " is used by storage 4000");
        runCommandOnceRegistered("jtgt:lun-map " + CREATED + " 0 4000");
        assertRefused("jtgt:storage-remove 4000", "is mapped to LUN 0 of " + CREATED);

        assertTrue("the LUN comes online: " + management.luns(), await(() -> management.luns().stream()
                .anyMatch(lun -> lun.target().equals(CREATED) && lun.deviceId() == 4000 && "ONLINE".equals(lun.state()))));
        String lun0 = "iscsi://" + portal + "/" + CREATED + "/0";
        assertTrue(run("iscsi-inq", lun0).contains("DIRECT_ACCESS"));
        // 16 MiB of 512-byte blocks: the last LBA is 32767 (SBC-3 5.16).
        assertTrue(run("iscsi-readcapacity16", lun0).contains("RETURNED LOGICAL BLOCK ADDRESS:32767"));

        Path targetFile = etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_commands-it.cfg");
        assertTrue(Files.readString(etc.resolve("io.jtgt.portal-7.cfg")).contains("portal = " + portal));
        assertTrue(Files.readString(etc.resolve("io.jtgt.storage-4000.cfg")).contains("deviceSize = 16777216"));
        String target = Files.readString(targetFile);
        assertTrue(target, target.contains("lun.0 = 4000") && target.contains("tpgt.1 = 7"));

        liveSessionStatsAndResize(portal, lun0, etc);

        String secret = "commands-it-secret";
        runCommandOnceRegistered("jtgt:chap-set " + CREATED + " alice " + secret);
        String rules = runCommandOnceRegistered("jtgt:auth-list");
        assertTrue(rules, rules.contains("alice") && rules.contains("****"));
        assertFalse("no secret in a listing: " + rules, rules.contains(secret));
        String exported = runCommandOnceRegistered("jtgt:export");
        assertTrue(exported, exported.contains("\"" + CREATED + "\"") && exported.contains("\"deviceID\" : 4000"));
        assertFalse(exported, exported.contains(secret));

        runCommandOnceRegistered("jtgt:storage-offline 4000");
        assertTrue("offline: " + management.luns(), await(() -> management.luns().stream()
                .anyMatch(lun -> lun.deviceId() == 4000 && "OFFLINE".equals(lun.state()))));
        runCommandOnceRegistered("jtgt:lun-unmap " + CREATED + " 0");
        assertTrue("fileinstall writes the unmap back", await(() -> !read(targetFile).contains("lun.0")));
        runCommandOnceRegistered("jtgt:target-remove " + CREATED);
        runCommandOnceRegistered("jtgt:storage-remove 4000");
        runCommandOnceRegistered("jtgt:portal-remove 7");
        assertTrue("the target is gone: " + management.targets(), await(() -> management.targets().stream()
                .noneMatch(t -> t.name().equals(CREATED))));
        try (Stream<Path> files = Files.list(etc)) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("io.jtgt.") && !n.endsWith("-default.cfg")).collect(Collectors.toList());
            assertTrue("removal deletes the .cfg files: " + left, left.isEmpty());
        }
    }

    /**
     * While qemu-io holds a session open on the created LUN: jtgt:stats counts its I/O, jtgt:sessions
     * shows it with its negotiated parameters, jtgt:storage-resize grows the LUN under it (seen by
     * iscsi-readcapacity16 and written to the .cfg; shrinking refused), jtgt:session-logout ends it.
     */
    private void liveSessionStatsAndResize(String portal, String lun0, Path etc) throws Exception {
        String[] hostPort = portal.split(":");
        Process qemu = new ProcessBuilder("qemu-io", "--image-opts",
                "driver=iscsi,transport=tcp,portal=" + portal + ",target=" + CREATED + ",lun=0",
                "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M", "-c", "sleep 60000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue("qemu-io wrote and read 1 MiB: " + management.lunStats(), await(() -> management.lunStats()
                    .stream().anyMatch(s -> s.deviceId() == 4000 && s.writeBytes() >= (1 << 20)
                            && s.readBytes() >= (1 << 20))));
            String stats = runCommandOnceRegistered("jtgt:stats");
            String row = stats.lines().filter(l -> l.startsWith(CREATED)).findFirst().orElse("");
            assertTrue("jtgt:stats has a row for the LUN with 1.0 MiB written:\n" + stats, row.contains("1.0 MiB"));
            assertTrue("and latencies:\n" + stats, row.contains(" / <"));

            assertTrue(await(() -> management.sessions().stream().anyMatch(s -> s.target().equals(CREATED))));
            int tsih = management.sessions().stream().filter(s -> s.target().equals(CREATED)).findFirst()
                    .orElseThrow().tsih();
            String perSession = runCommandOnceRegistered("jtgt:stats --sessions");
            assertTrue("jtgt:stats --sessions counts qemu's session:\n" + perSession, perSession.lines()
                    .anyMatch(l -> l.matches("\\s*" + tsih + "\\s*\\|\\s*" + CREATED + "\\s*\\|.*1\\.0 MiB.*")));
            String sessions = runCommandOnceRegistered("jtgt:sessions");
            assertTrue("jtgt:sessions lists qemu's session:\n" + sessions,
                    sessions.contains(CREATED) && sessions.contains(hostPort[0] + ":" + hostPort[1]));
            assertTrue("with its negotiated parameters:\n" + sessions,
                    sessions.contains("Session " + tsih + " (") && sessions.contains("MaxBurstLength = "));

            assertRefused("jtgt:storage-resize 4000 8M", "shrinking a LUN is refused");
            String resized = runCommandOnceRegistered("jtgt:storage-resize 4000 32M");
            assertTrue(resized, resized.contains("Storage 4000 resized to 32.0 MiB"));
            // 32 MiB of 512-byte blocks: the last LBA is 65535 (SBC-3 5.16).
            String capacity = run("iscsi-readcapacity16", lun0);
            assertTrue("READ CAPACITY (16) after the resize:\n" + capacity,
                    capacity.contains("RETURNED LOGICAL BLOCK ADDRESS:65535"));
            assertTrue("fileinstall writes the new deviceSize back", await(() -> read(etc.resolve("io.jtgt.storage-4000.cfg"))
                    .contains("deviceSize = 33554432")));
            assertTrue("qemu's session survived the resize", qemu.isAlive() && management.sessions().stream()
                    .anyMatch(s -> s.tsih() == tsih));

            String logout = runCommandOnceRegistered("jtgt:session-logout " + tsih);
            assertTrue(logout, logout.contains("Session " + tsih + " ("));
            assertTrue("the session is gone (libiscsi may come back as a new one): " + management.sessions(),
                    await(() -> management.sessions().stream().noneMatch(s -> s.tsih() == tsih)));
            assertRefused("jtgt:session-logout " + tsih, "TSIH " + tsih + ": no such session");
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A .cfg file dropped into etc/ by hand has the effect of the command, and so has deleting it. */
    @Test
    public void handWrittenCfgFileActsLikeTheCommand() throws Exception {
        awaitDefaultLunOnline();
        Path file = Paths.get(System.getProperty("karaf.etc"), "io.jtgt.target-by-hand.cfg");
        String name = "iqn.2026-11.io.jtgt:by-hand";
        Files.writeString(file, "name = " + name + "\ntpgt.1 = 0\nlun.5 = 1000\n");
        try {
            assertTrue("the dropped file makes a target: " + management.luns(), await(() -> management.luns().stream()
                    .anyMatch(lun -> lun.target().equals(name) && lun.lun() == 5 && lun.deviceId() == 1000)));
            assertRefused("jtgt:lun-map " + name + " 5 1000", "lun.5=1000 is mapped already");
            String rules = runCommandOnceRegistered("jtgt:acl-add " + name + " iqn.2026-11.org.example:host1");
            assertTrue(rules, rules.contains("iqn.2026-11.org.example:host1"));
        } finally {
            Files.deleteIfExists(file);
        }
        assertTrue("deleting the file removes the target", await(() -> management.targets().stream()
                .noneMatch(t -> t.name().equals(name))));
        // Its access rule outlived the hand-deleted target; the command still removes it.
        runCommandOnceRegistered("jtgt:acl-remove " + name + " iqn.2026-11.org.example:host1");
        assertFalse(runCommandOnceRegistered("jtgt:auth-list").contains(name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command fails with a message containing {@code expected}. */
    private void assertRefused(String command, String expected) throws Exception {
        try {
            String output = runCommandOnceRegistered(command);
            fail(command + " should fail, printed: " + output);
        } catch (IllegalArgumentException e) {
            assertTrue(command + ": " + e.getMessage(), e.getMessage().contains(expected));
        }
    }

    private void awaitLunState(String state) throws InterruptedException {
        boolean reached = await(() -> management.luns().stream()
                .anyMatch(lun -> lun.target().equals(TARGET) && lun.lun() == 0 && state.equals(lun.state())));
        assertTrue("default LUN reaches " + state + ": " + management.luns(), reached);
    }

    /** Components come up asynchronously after the boot features: wait, bounded, for the LUN. */
    private void awaitDefaultLunOnline() throws InterruptedException {
        boolean online = await(() -> management.luns().stream().anyMatch(this::isDefaultLunOnline)
                && management.portals().stream().anyMatch(ManagementService.PortalView::listening));
        if (!online) {
            fail("default LUN not ONLINE with a listening portal after " + WAIT_MILLIS + " ms: luns="
                    + management.luns() + " portals=" + management.portals());
        }
    }

    private boolean isDefaultLunOnline(LunView lun) {
        return lun.target().equals(TARGET) && lun.lun() == 0 && lun.deviceId() == 1000 && "ONLINE".equals(lun.state());
    }

    private void assertJtgtBundlesActive() {
        List<Bundle> jtgt = jtgtBundles();
        List<String> names = jtgt.stream().map(Bundle::getSymbolicName).collect(Collectors.toList());
        for (String expected : List.of("jtgt-scsi-core", "jtgt-iscsi-transport", "jtgt-backend-file", "jtgt-admin",
                "jtgt-shell")) {
            assertTrue(expected + " installed (have " + names + ")", names.contains(expected));
        }
        for (Bundle bundle : jtgt) {
            assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
        }
    }

    private void assertJtgtComponentsSatisfied() {
        List<String> problems = new ArrayList<>();
        int active = 0;
        for (Bundle bundle : jtgtBundles()) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                if (!scr.isComponentEnabled(description)) {
                    problems.add(description.name + " disabled");
                }
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    switch (configuration.state) {
                        case ComponentConfigurationDTO.ACTIVE:
                            active++;
                            break;
                        case ComponentConfigurationDTO.SATISFIED:
                            break;
                        default:
                            problems.add(describe(description, configuration));
                    }
                }
            }
        }
        assertTrue("unsatisfied or failed jtgt components: " + problems, problems.isEmpty());
        assertTrue("some jtgt component is active", active > 0);
    }

    private static String describe(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        String state;
        switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                state = "unsatisfied configuration";
                break;
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                state = "unsatisfied references " + Arrays.stream(configuration.unsatisfiedReferences)
                        .map((UnsatisfiedReferenceDTO reference) -> reference.name).collect(Collectors.toList());
                break;
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                state = "failed activation: " + configuration.failure;
                break;
            default:
                state = "state " + configuration.state;
        }
        return description.name + " (" + configuration.properties.get("component.id") + "): " + state;
    }

    private List<Bundle> jtgtBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith("jtgt-"))
                .collect(Collectors.toList());
    }

    /**
     * Commands appear asynchronously (jtgt:list once its ManagementService reference is satisfied,
     * feature:* once Karaf's boot features are done): retry, bounded, while the command is not found.
     */
    private String runCommandOnceRegistered(String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return runCommand(command);
            } catch (Exception e) {
                // Gogo's CommandNotFoundException, matched by name: its package is Karaf-internal.
                if (!e.getClass().getSimpleName().equals("CommandNotFoundException") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /** Runs a shell command as an admin user would, returning what it printed. */
    private String runCommand(String command) throws Exception {
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

    /** Runs an external program with a time limit; it must exist and exit 0. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + " exit status; output:\n" + output, 0, process.exitValue());
        assertFalse(output.isEmpty());
        return output;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.getAsBoolean();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
