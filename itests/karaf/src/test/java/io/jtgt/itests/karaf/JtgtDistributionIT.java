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
import io.netty.channel.uring.IoUring;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
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
    /** The sample third-party backend's bundle jar (itests/sample-backend), for deploy/. */
    private static final String SAMPLE_BACKEND_PROPERTY = "jtgt.sampleBackend";
    /** Created, used and removed while qemu-io holds a session on the default target. */
    private static final String OTHER = "iqn.2026-11.io.jtgt:live-b";
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

    private KarafShell shell;

    @Before
    public void shell() {
        shell = new KarafShell(sessionFactory);
    }

    @Configuration
    public Option[] config() {
        String portal = "127.0.0.1:" + Await.freePort();
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
                editConfigurationFilePut("etc/system.properties", SAMPLE_BACKEND_PROPERTY,
                        new File(System.getProperty(SAMPLE_BACKEND_PROPERTY)).getAbsolutePath()),
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
        // Likewise for io_uring, which the connection loops run on by default (transport=auto).
        assertTrue("Netty io_uring available in the container: " + IoUring.unavailabilityCause(), IoUring.isAvailable());

        String listing = shell.run("jtgt:list");
        assertTrue("jtgt:list names the default target:\n" + listing, listing.contains(TARGET));
        assertTrue("jtgt:list shows the LUN ONLINE:\n" + listing, listing.contains("ONLINE"));
        assertTrue("jtgt:list shows the portal:\n" + listing, listing.contains(portal));

        String lun0 = "iscsi://" + portal + "/" + TARGET + "/0";
        String inquiry = Programs.run("iscsi-inq", lun0);
        assertTrue("standard INQUIRY reports a disk:\n" + inquiry, inquiry.contains("DIRECT_ACCESS"));
        String capacity = Programs.run("iscsi-readcapacity16", lun0);
        // 1 GiB of 512-byte blocks: the last LBA is 2^21 - 1 (SBC-3 5.16).
        assertTrue("READ CAPACITY (16) of the default 1 GiB LUN:\n" + capacity,
                capacity.contains("RETURNED LOGICAL BLOCK ADDRESS:2097151"));
        assertTrue(capacity, capacity.contains("LOGICAL BLOCK LENGTH IN BYTES:512"));

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
        String portal = "127.0.0.1:" + Await.freePort();
        String image = Paths.get(System.getProperty("karaf.data"), "jtgt", "commands-it.img").toString();

        shell.run("jtgt:portal-create 7 " + portal);
        shell.run("jtgt:storage-create --size 16M --thin 4000 " + image);
        shell.run("jtgt:target-create --portal-group 1=7 " + CREATED);
        shell.assertRefused("jtgt:lun-map " + CREATED + " 0 4001", "lun.0=4001 names no storage deviceID");
        shell.assertRefused("jtgt:lun-map " + CREATED + " zero 4000", "LUN: 'zero' is not a whole number");
        shell.assertRefused("jtgt:storage-create 4001 " + image, "path=" + image + " is used by storage 4000");
        shell.run("jtgt:lun-map " + CREATED + " 0 4000");
        shell.assertRefused("jtgt:storage-remove 4000", "is mapped to LUN 0 of " + CREATED);

        assertTrue("the LUN comes online: " + management.luns(), Await.until(WAIT_MILLIS, () -> management.luns().stream()
                .anyMatch(lun -> lun.target().equals(CREATED) && lun.deviceId() == 4000 && "ONLINE".equals(lun.state()))));
        String lun0 = "iscsi://" + portal + "/" + CREATED + "/0";
        assertTrue(Programs.run("iscsi-inq", lun0).contains("DIRECT_ACCESS"));
        // 16 MiB of 512-byte blocks: the last LBA is 32767 (SBC-3 5.16).
        assertTrue(Programs.run("iscsi-readcapacity16", lun0).contains("RETURNED LOGICAL BLOCK ADDRESS:32767"));

        Path targetFile = etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_commands-it.cfg");
        assertTrue(Files.readString(etc.resolve("io.jtgt.portal-7.cfg")).contains("portal = " + portal));
        assertTrue(Files.readString(etc.resolve("io.jtgt.storage-4000.cfg")).contains("deviceSize = 16777216"));
        String target = Files.readString(targetFile);
        assertTrue(target, target.contains("lun.0 = 4000") && target.contains("tpgt.1 = 7"));

        liveSessionStatsAndResize(portal, lun0, etc);

        String secret = "commands-it-secret";
        shell.run("jtgt:chap-set " + CREATED + " alice " + secret);
        String rules = shell.run("jtgt:auth-list");
        assertTrue(rules, rules.contains("alice") && rules.contains("****"));
        assertFalse("no secret in a listing: " + rules, rules.contains(secret));
        String exported = shell.run("jtgt:export");
        assertTrue(exported, exported.contains("\"" + CREATED + "\"") && exported.contains("\"deviceID\" : 4000"));
        assertFalse(exported, exported.contains(secret));

        assertTrue("qemu's session is gone: " + management.sessions(), Await.until(WAIT_MILLIS, () -> management.sessions().stream()
                .noneMatch(session -> session.target().equals(CREATED))));
        shell.run("jtgt:storage-offline 4000");
        assertTrue("offline: " + management.luns(), Await.until(WAIT_MILLIS, () -> management.luns().stream()
                .anyMatch(lun -> lun.deviceId() == 4000 && "OFFLINE".equals(lun.state()))));
        shell.run("jtgt:lun-unmap " + CREATED + " 0");
        assertTrue("fileinstall writes the unmap back", Await.until(WAIT_MILLIS, () -> !read(targetFile).contains("lun.0")));
        shell.run("jtgt:target-remove " + CREATED);
        shell.run("jtgt:storage-remove 4000");
        shell.run("jtgt:portal-remove 7");
        assertTrue("the target is gone: " + management.targets(), Await.until(WAIT_MILLIS, () -> management.targets().stream()
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
            assertTrue("qemu-io wrote and read 1 MiB: " + management.lunStats(), Await.until(WAIT_MILLIS, () -> management.lunStats()
                    .stream().anyMatch(s -> s.deviceId() == 4000 && s.writeBytes() >= (1 << 20)
                            && s.readBytes() >= (1 << 20))));
            String stats = shell.run("jtgt:stats");
            String row = stats.lines().filter(l -> l.startsWith(CREATED)).findFirst().orElse("");
            assertTrue("jtgt:stats has a row for the LUN with 1.0 MiB written:\n" + stats, row.contains("1.0 MiB"));
            assertTrue("and latencies:\n" + stats, row.contains(" / <"));

            assertTrue(Await.until(WAIT_MILLIS, () -> management.sessions().stream().anyMatch(s -> s.target().equals(CREATED))));
            int tsih = management.sessions().stream().filter(s -> s.target().equals(CREATED)).findFirst()
                    .orElseThrow().tsih();
            String perSession = shell.run("jtgt:stats --sessions");
            assertTrue("jtgt:stats --sessions counts qemu's session:\n" + perSession, perSession.lines()
                    .anyMatch(l -> l.matches("\\s*" + tsih + "\\s*\\|\\s*" + CREATED + "\\s*\\|.*1\\.0 MiB.*")));
            String sessions = shell.run("jtgt:sessions");
            assertTrue("jtgt:sessions lists qemu's session:\n" + sessions,
                    sessions.contains(CREATED) && sessions.contains(hostPort[0] + ":" + hostPort[1]));
            assertTrue("with its negotiated parameters:\n" + sessions,
                    sessions.contains("Session " + tsih + " (") && sessions.contains("MaxBurstLength = "));

            shell.assertRefused("jtgt:storage-resize 4000 8M", "shrinking a LUN is refused");
            String resized = shell.run("jtgt:storage-resize 4000 32M");
            assertTrue(resized, resized.contains("Storage 4000 resized to 32.0 MiB"));
            // 32 MiB of 512-byte blocks: the last LBA is 65535 (SBC-3 5.16).
            String capacity = Programs.run("iscsi-readcapacity16", lun0);
            assertTrue("READ CAPACITY (16) after the resize:\n" + capacity,
                    capacity.contains("RETURNED LOGICAL BLOCK ADDRESS:65535"));
            assertTrue("fileinstall writes the new deviceSize back", Await.until(WAIT_MILLIS, () -> read(etc.resolve("io.jtgt.storage-4000.cfg"))
                    .contains("deviceSize = 33554432")));
            assertTrue("qemu's session survived the resize", qemu.isAlive() && management.sessions().stream()
                    .anyMatch(s -> s.tsih() == tsih));

            String logout = shell.run("jtgt:session-logout " + tsih);
            assertTrue(logout, logout.contains("Session " + tsih + " ("));
            assertTrue("the session is gone (libiscsi may come back as a new one): " + management.sessions(),
                    Await.until(WAIT_MILLIS, () -> management.sessions().stream().noneMatch(s -> s.tsih() == tsih)));
            shell.assertRefused("jtgt:session-logout " + tsih, "TSIH " + tsih + ": no such session");
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Backends come and go while sessions stay (DESIGN "backends are services"): qemu-io holds a
     * session on LUN 0 of the default target (file backend) and another on LUN 1 (the sample
     * third-party backend, dropped into deploy/). feature:uninstall of the file backend takes LUN 0
     * to NOT READY — qemu-io's reads fail there — while LUN 1 goes on; feature:install brings LUN 0
     * back on the same session with its data. Removing the sample jar from deploy/ takes LUN 1 to NOT
     * READY, copying it back brings it online; LUN 0 goes on. No session is dropped or replaced.
     */
    @Test
    public void backendsComeAndGoWhileSessionsStayUp() throws Exception {
        awaitDefaultLunOnline();
        String portal = System.getProperty(PORTAL_PROPERTY);
        shell.run("jtgt:storage-create --backend-type memory --size 16M 5000 hotplug-disk");
        shell.run("jtgt:lun-map " + TARGET + " 1 5000");
        awaitLunState(TARGET, 1, "NO_BACKEND");
        assertNotReady("LUN 1 without its backend", "iscsi://" + portal + "/" + TARGET + "/1");

        Bundle backend = deploySampleBackend();
        awaitLunState(TARGET, 1, "ONLINE");
        String imports = backend.getHeaders().get("Import-Package");
        assertFalse("the sample backend uses jtgt's SPI only: " + imports,
                imports.replace("io.jtgt.scsi.spi;", "").contains("io.jtgt"));
        assertTrue(imports, imports.contains("io.jtgt.scsi.spi;"));

        try (QemuIo file = new QemuIo(portal, TARGET, 0); QemuIo memory = new QemuIo(portal, TARGET, 1)) {
            file.ok("write -P 0x3c 0 64k");
            memory.ok("write -P 0x5a 0 1M");
            List<Integer> sessions = sessionsOf(TARGET);
            assertEquals("one session per qemu-io: " + management.sessions(), 2, sessions.size());

            // No auto-refresh: it would refresh this test's probe (it imports dynamically) and interrupt it.
            shell.run("feature:uninstall --no-auto-refresh jtgt-backend-file");
            awaitLunState(TARGET, 0, "NO_BACKEND");
            assertNotReady("the file LUN without its backend", "iscsi://" + portal + "/" + TARGET + "/0");
            String failed = file.run("read -P 0x3c 0 64k");
            assertTrue("qemu-io reads fail on the file LUN while its backend is gone:\n" + failed,
                    failed.contains("read failed"));
            memory.ok("read -P 0x5a 0 1M");
            memory.ok("write -P 0x5b 1M 1M");

            shell.run("feature:install --no-auto-refresh jtgt-backend-file");
            awaitLunState(TARGET, 0, "ONLINE");
            file.ok("read -P 0x3c 0 64k");
            memory.ok("read -P 0x5b 1M 1M");

            assertTrue("the sample backend's bundle is gone", undeploySampleBackend());
            awaitLunState(TARGET, 1, "NO_BACKEND");
            failed = memory.run("read -P 0x5b 1M 1M");
            assertTrue("qemu-io reads fail on the memory LUN once its jar left deploy/:\n" + failed,
                    failed.contains("read failed"));
            file.ok("write -P 0x3d 64k 64k");

            deploySampleBackend();
            awaitLunState(TARGET, 1, "ONLINE");
            memory.ok("write -P 0x5c 0 64k"); // a new bundle: a new, empty memory store
            memory.ok("read -P 0x5c 0 64k");
            file.ok("read -P 0x3d 64k 64k");
            assertEquals("the same two sessions all along", sessions, sessionsOf(TARGET));
            assertTrue(file.alive() && memory.alive());
        } finally {
            undeploySampleBackend();
            shell.run("feature:install --no-auto-refresh jtgt-backend-file");
            assertTrue("qemu-io's sessions are gone", Await.until(WAIT_MILLIS, () -> sessionsOf(TARGET).isEmpty()));
            shell.run("jtgt:storage-remove --force 5000");
        }
    }

    /**
     * Changes apply live and touch only what they concern: while qemu-io holds a session on the
     * default target (A), a portal A does not use, a target B with two LUNs and an ACL are added; a
     * session on B refuses to be unmapped from under (LUN in use), a forced unmap of B's LUN 0 ends
     * the WRITE held in flight on it with LOGICAL UNIT NOT SUPPORTED (25h/00h) once its backend lets
     * it go, B's other LUN reports REPORTED LUNS DATA HAS CHANGED (3Fh/0Eh) and qemu-io there goes on;
     * the acknowledged write is still there when the LUN is mapped again. Everything of B goes again;
     * A's session is the same one throughout. Last, export then import --replace of the running
     * configuration changes nothing. B's LUN 0 is the sample backend's, held by a file (not slowed
     * down by a delay): the WRITE stays in flight exactly until the test deletes the file, however
     * slow the machine.
     */
    @Test
    public void liveChangesLeaveUnconcernedSessionsAlone() throws Exception {
        awaitDefaultLunOnline();
        String portal = System.getProperty(PORTAL_PROPERTY);
        String otherPortal = "127.0.0.1:" + Await.freePort();
        String image = Paths.get(System.getProperty("karaf.data"), "jtgt", "live-b.img").toString();
        String allowed = "iqn.2026-11.org.example:live-b";
        Path hold = Paths.get(System.getProperty("karaf.data"), "jtgt", "live-b.hold");
        Bundle backend = deploySampleBackend();
        long installed = backend.getLastModified();
        try (QemuIo a = new QemuIo(portal, TARGET, 0)) {
            a.ok("write -P 0x71 2M 256k");
            List<Integer> sessionA = sessionsOf(TARGET);
            assertEquals(1, sessionA.size());

            shell.run("jtgt:portal-create 8 " + otherPortal);
            shell.run("jtgt:storage-create --size 16M --thin 4100 " + image);
            // B's LUN 0: the sample backend holds its reads and writes while the file `hold` exists.
            shell.run("jtgt:storage-create --backend-type memory --size 1M -o holdFile=" + hold + " 4101 live-b-held");
            shell.run("jtgt:target-create --portal-group 1=8 " + OTHER);
            shell.run("jtgt:lun-map " + OTHER + " 0 4101");
            shell.run("jtgt:lun-map " + OTHER + " 1 4100");
            shell.run("jtgt:acl-add " + OTHER + " " + allowed);
            awaitLunState(OTHER, 0, "ONLINE");
            awaitLunState(OTHER, 1, "ONLINE");
            a.ok("read -P 0x71 2M 256k");
            Programs.runFailing("iscsi-inq", "iscsi://" + portal + "/" + OTHER + "/1"); // B is not reachable through A's portal

            String[] hostPort = otherPortal.split(":");
            int port = Integer.parseInt(hostPort[1]);
            try {
                new SocketInitiator(hostPort[0], port, OTHER, "iqn.2026-11.org.example:not-listed", 0x400000000001L)
                        .close();
                fail("B's ACL admits only " + allowed);
            } catch (IOException refused) {
                assertTrue(refused.getMessage(), refused.getMessage().contains("status 0202"));
            }
            try (SocketInitiator b = new SocketInitiator(hostPort[0], port, OTHER, allowed, 0x400000000002L);
                    QemuIo bOther = new QemuIo(otherPortal, OTHER, 1, allowed)) {
                assertEquals("6/29/00", b.command(0, SocketInitiator.testUnitReady(), null, 0).sense());
                assertEquals("6/29/00", b.command(1, SocketInitiator.testUnitReady(), null, 0).sense());
                byte[] block = new byte[512];
                Arrays.fill(block, (byte) 0x42);
                assertEquals("GOOD", b.command(0, SocketInitiator.write10(5, 1), block, 0).sense());
                bOther.ok("write -P 0x43 0 64k");

                List<Integer> sessionsB = sessionsOf(OTHER);
                assertEquals("the initiator's and qemu-io's: " + management.sessions(), 2, sessionsB.size());
                shell.assertRefused("jtgt:lun-unmap " + OTHER + " 0", "LUN 0 is in use: 2 sessions are logged in");
                Files.createFile(hold);
                int inFlight = b.send(0, SocketInitiator.write10(6, 1), block, 0);
                assertTrue("the WRITE is in flight in the target", Await.until(WAIT_MILLIS, () -> inFlight(b.tsih) == 1));
                shell.run("jtgt:lun-unmap --force " + OTHER + " 0");
                assertTrue("LUN 0 of B is gone: " + management.luns(), Await.until(WAIT_MILLIS, () -> management.luns().stream()
                        .noneMatch(l -> l.target().equals(OTHER) && l.lun() == 0)));
                assertEquals("the held WRITE is answered only once its work ends", 1, inFlight(b.tsih));
                Files.delete(hold);
                assertEquals("the WRITE in flight when its LUN went", "5/25/00", b.await(inFlight).sense());
                assertEquals("5/25/00", b.command(0, SocketInitiator.testUnitReady(), null, 0).sense());
                assertEquals("6/3f/0e", b.command(1, SocketInitiator.testUnitReady(), null, 0).sense());
                SocketInitiator.Result luns = b.command(1, SocketInitiator.reportLuns(), null, 16 + 8);
                assertEquals("REPORT LUNS lists LUN 1 only", 8, java.nio.ByteBuffer.wrap(luns.data).getInt());
                assertEquals("GOOD", b.command(1, SocketInitiator.testUnitReady(), null, 0).sense());
                bOther.ok("read -P 0x43 0 64k"); // qemu-io retries past the unit attention
                a.ok("read -P 0x71 2M 256k");

                shell.run("jtgt:lun-map " + OTHER + " 0 4101");
                awaitLunState(OTHER, 0, "ONLINE");
                assertEquals("6/3f/0e", b.command(1, SocketInitiator.testUnitReady(), null, 0).sense());
                assertEquals("6/3f/0e", b.command(0, SocketInitiator.testUnitReady(), null, 0).sense());
                SocketInitiator.Result kept = b.command(0, SocketInitiator.read10(5, 1), null, 512);
                assertEquals("GOOD", kept.sense());
                assertTrue("the write acknowledged before the removal is kept", Arrays.equals(block, kept.data));
                assertEquals("B's sessions went on through the forced removal", sessionsB, sessionsOf(OTHER));
                assertTrue(sessionsB.contains(b.tsih));
            }
            assertEquals("the sample backend was not updated under the test", installed, backend.getLastModified());
            assertTrue("B's sessions ended", Await.until(WAIT_MILLIS, () -> sessionsOf(OTHER).isEmpty()));
            shell.run("jtgt:acl-remove " + OTHER + " " + allowed);
            shell.run("jtgt:lun-unmap " + OTHER + " 0");
            shell.run("jtgt:target-remove " + OTHER);
            shell.run("jtgt:portal-remove 8");
            shell.run("jtgt:storage-remove 4100");
            shell.run("jtgt:storage-remove 4101");
            assertTrue(Await.until(WAIT_MILLIS, () -> management.portals().stream().noneMatch(p -> p.id() == 8)));
            a.ok("read -P 0x71 2M 256k");

            // The running configuration exported and imported again (replacing): nothing changes.
            Path exported = Paths.get(System.getProperty("karaf.data"), "jtgt", "live-export.json");
            shell.run("jtgt:export " + exported);
            String before = Files.readString(exported);
            assertFalse(before, before.contains(OTHER));
            shell.run("jtgt:import --replace " + exported);
            shell.run("jtgt:export " + exported);
            assertEquals("export, import, export is exact", before, Files.readString(exported));
            a.ok("read -P 0x71 2M 256k");
            assertEquals("A's session is the same one throughout", sessionA, sessionsOf(TARGET));
        } finally {
            Files.deleteIfExists(hold);
            undeploySampleBackend();
            // What a failure above left behind, so that the other tests find the configuration they expect.
            for (String command : new String[] {"jtgt:target-remove " + OTHER, "jtgt:portal-remove --force 8",
                    "jtgt:storage-remove --force 4100", "jtgt:storage-remove --force 4101"}) {
                try {
                    shell.run(command);
                } catch (IllegalArgumentException alreadyGone) {
                    // removed by the test itself
                }
            }
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
            assertTrue("the dropped file makes a target: " + management.luns(), Await.until(WAIT_MILLIS, () -> management.luns().stream()
                    .anyMatch(lun -> lun.target().equals(name) && lun.lun() == 5 && lun.deviceId() == 1000)));
            shell.assertRefused("jtgt:lun-map " + name + " 5 1000", "lun.5=1000 is mapped already");
            String rules = shell.run("jtgt:acl-add " + name + " iqn.2026-11.org.example:host1");
            assertTrue(rules, rules.contains("iqn.2026-11.org.example:host1"));
        } finally {
            Files.deleteIfExists(file);
        }
        assertTrue("deleting the file removes the target", Await.until(WAIT_MILLIS, () -> management.targets().stream()
                .noneMatch(t -> t.name().equals(name))));
        // Its access rule outlived the hand-deleted target; the command still removes it.
        shell.run("jtgt:acl-remove " + name + " iqn.2026-11.org.example:host1");
        assertFalse(shell.run("jtgt:auth-list").contains(name));
    }

    private static final String SAMPLE_BUNDLE = "jtgt-sample-backend-memory";

    /**
     * Drops the sample backend's jar into deploy/ the way file install reads it once: after the
     * previous copy's bundle is gone (a jar replaced before file install saw it go would be
     * updated later, at a moment nobody chose), and moved in whole (copied in place, file install
     * installs the half-written jar and then updates it). Waits until its bundle is active; returns it.
     */
    private Bundle deploySampleBackend() throws Exception {
        assertTrue("the previous sample backend bundle is gone", Await.until(WAIT_MILLIS, () -> sampleBundle() == null));
        Path deployed = Paths.get(System.getProperty("karaf.base"), "deploy", SAMPLE_BUNDLE + ".jar");
        Path staged = Paths.get(System.getProperty("karaf.base"), SAMPLE_BUNDLE + ".jar.tmp");
        Files.copy(Paths.get(System.getProperty(SAMPLE_BACKEND_PROPERTY)), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
        assertTrue("the sample backend's bundle is active", Await.until(WAIT_MILLIS, () -> {
            Bundle b = sampleBundle();
            return b != null && b.getState() == Bundle.ACTIVE;
        }));
        return sampleBundle();
    }

    /** Takes the sample backend's jar out of deploy/; true once file install has uninstalled its bundle. */
    private boolean undeploySampleBackend() throws Exception {
        Files.deleteIfExists(Paths.get(System.getProperty("karaf.base"), "deploy", SAMPLE_BUNDLE + ".jar"));
        return Await.until(WAIT_MILLIS, () -> sampleBundle() == null);
    }

    private Bundle sampleBundle() {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> SAMPLE_BUNDLE.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    /** Commands the session {@code tsih} has in the target now. */
    private int inFlight(int tsih) {
        return management.sessions().stream().filter(s -> s.tsih() == tsih).mapToInt(s -> s.commandsInFlight())
                .findFirst().orElse(-1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitLunState(String target, int lun, String state) throws InterruptedException {
        boolean reached = Await.until(WAIT_MILLIS, () -> management.luns().stream()
                .anyMatch(l -> l.target().equals(target) && l.lun() == lun && state.equals(l.state())));
        assertTrue("LUN " + lun + " of " + target + " reaches " + state + ": " + management.luns(), reached);
    }

    /** The TSIHs of the sessions logged in to {@code target}, ascending. */
    private List<Integer> sessionsOf(String target) {
        return management.sessions().stream().filter(s -> s.target().equals(target)).map(s -> s.tsih()).sorted()
                .collect(Collectors.toList());
    }

    /** Components come up asynchronously after the boot features: wait, bounded, for the LUN. */
    private void awaitDefaultLunOnline() throws InterruptedException {
        boolean online = Await.until(WAIT_MILLIS, () -> management.luns().stream().anyMatch(this::isDefaultLunOnline)
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
     * SPC-4: NOT READY, 04h/03h LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED (install the
     * backend); libiscsi's tools give up at their TEST UNIT READY after login and print the sense.
     */
    private static void assertNotReady(String what, String url) throws Exception {
        String output = Programs.runFailing("iscsi-readcapacity16", url);
        assertTrue(what + ":\n" + output, output.contains("NOT READY(2)") && output.contains("0x0403"));
    }
}
