package io.jtgt.itests.karaf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jtgt.itests.karaf.UnpackedDistribution.Result;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * What a restart keeps, on the unpacked distribution as an operator runs it ({@code bin/jtgt daemon},
 * stopped with SIGTERM, started again on the same folder): everything the jtgt:* commands made —
 * a portal, storages, a target with its LUN map and portal group, a storage taken offline, CHAP and
 * an initiator list, a portal added to the default target's groups — and what was written into
 * etc/ by hand (a storage and a target dropped in, a LUN added to a command's file); a .cfg deleted
 * while the daemon was down stays gone. The mode parameters saved with MODE SELECT SP=1 and the
 * persistent reservation made with APTPL are back, and the data on every LUN. Checked with real
 * initiators (libiscsi tools, qemu-io) and, for MODE SENSE and PERSISTENT RESERVE IN, the socket
 * initiator; the export of the running configuration is the same before and after.
 */
public class RestartIT {

    private static final String DEFAULT = "iqn.2026-11.io.jtgt:default";
    private static final String TARGET = "iqn.2026-11.io.jtgt:restart-it";
    private static final String BY_HAND = "iqn.2026-11.io.jtgt:restart-by-hand";
    private static final String ALLOWED = "iqn.2026-11.org.example:restart-host";
    private static final String SECRET = "restart-it-chap-secret";
    /** The reservation holder: the same initiator port (name and ISID) before and after. */
    private static final String HOLDER = "iqn.2026-11.org.example:restart-pr";
    private static final long HOLDER_ISID = 0x400000005250L;
    private static final long KEY = 0x1234ABCDL;
    private static final int CACHING_PAGE = 0x08;

    @Test
    public void everythingMadeByCommandsOrByHandIsBackAfterARestart() throws Exception {
        UnpackedDistribution dist = new UnpackedDistribution(Paths.get("target/restart-it"));
        Path etc = dist.home.resolve("etc");
        Path work = dist.work;
        int port = Await.freePort();
        int otherPort = Await.freePort();
        int sshPort = Await.freePort();
        setKey(etc.resolve("io.jtgt.portal-default.cfg"), "portal", "127.0.0.1:" + port);
        setKey(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(sshPort));
        String defaultLun = "iscsi://127.0.0.1:" + port + "/" + DEFAULT + "/0";
        String chap = "iscsi://alice%" + SECRET + "@127.0.0.1:" + otherPort;
        Path log = work.resolve("daemon.out");

        Process daemon = dist.startDaemon(work, log);
        try {
            dist.awaitLogin(daemon, defaultLun, log);
            dist.shell(sshPort,
                    "jtgt:portal-create 3 127.0.0.1:" + otherPort,
                    "jtgt:storage-create --size 16M --thin 6001 " + work.resolve("r1.img"),
                    "jtgt:storage-create --size 8M 6002 " + work.resolve("r2.img"),
                    "jtgt:target-create --portal-group 1=3 " + TARGET,
                    "jtgt:lun-map " + TARGET + " 0 6001",
                    "jtgt:lun-map " + TARGET + " 2 6002",
                    "jtgt:storage-offline 6002",
                    "jtgt:chap-set " + TARGET + " alice " + SECRET,
                    "jtgt:acl-add " + TARGET + " " + ALLOWED,
                    "jtgt:portal-group-add " + DEFAULT + " 2 3");
            // By hand: a storage and a target dropped into etc/, and a LUN added to the command's file.
            Files.writeString(etc.resolve("io.jtgt.storage-by-hand.cfg"), "deviceID = 6003\npath = "
                    + work.resolve("r3.img") + "\ndeviceSize = 8388608\n");
            Files.writeString(etc.resolve("io.jtgt.target-by-hand.cfg"), "name = " + BY_HAND + "\ntpgt.1 = 0\nlun.0 = 6003\n");
            Path targetCfg = etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_restart-it.cfg");
            Files.writeString(targetCfg, Files.readString(targetCfg) + "lun.1 = 6003\n");
            dist.awaitLogin(daemon, "iscsi://127.0.0.1:" + port + "/" + BY_HAND + "/0", log);
            String luns = awaitLuns(dist, chap);

            qemuIo(dist, target(TARGET, otherPort, 0, true), "write -P 0x6e 0 1M");
            qemuIo(dist, target(DEFAULT, port, 0, false), "write -P 0x6f 1M 1M");
            boolean writeCache;
            try (SocketInitiator holder = new SocketInitiator("127.0.0.1", port, DEFAULT, HOLDER, HOLDER_ISID)) {
                assertEquals("6/29/00", holder.command(0, SocketInitiator.testUnitReady(), null, 0).sense());
                byte[] page = cachingPage(holder);
                writeCache = (page[2] & 0x04) != 0;
                page[0] &= 0x3F; // PS is reserved in MODE SELECT
                page[2] ^= 0x04; // WCE
                byte[] list = new byte[8 + page.length];
                System.arraycopy(page, 0, list, 8, page.length);
                assertEquals("GOOD", holder.command(0, SocketInitiator.modeSelect10(true, list.length), list, 0).sense());
                assertEquals("GOOD", holder.command(0, SocketInitiator.persistentReserveOut(0x00, 0),
                        SocketInitiator.reservationParameters(0, KEY, true), 0).sense()); // REGISTER, APTPL
                assertEquals("GOOD", holder.command(0, SocketInitiator.persistentReserveOut(0x01, 0x01),
                        SocketInitiator.reservationParameters(KEY, 0, false), 0).sense()); // RESERVE, WRITE EXCLUSIVE
            }
            String exported = dist.shell(sshPort, "jtgt:export");
            String rules = dist.shell(sshPort, "jtgt:auth-list");
            String listed = dist.shell(sshPort, "jtgt:list");
            assertTrue(listed, Pattern.compile("6002.*OFFLINE").matcher(listed).find());
            // Made, then its file deleted while the daemon is down: it must not come back.
            dist.shell(sshPort, "jtgt:storage-create --size 1M 6009 " + work.resolve("r9.img"));
            Path gone = etc.resolve("io.jtgt.storage-6009.cfg");
            assertTrue(Files.exists(gone));

            dist.stop(daemon);
            Files.delete(gone);
            daemon = dist.startDaemon(work, log);
            dist.awaitLogin(daemon, defaultLun, log);

            assertEquals("the same configuration", exported, dist.shell(sshPort, "jtgt:export"));
            assertEquals("the same CHAP accounts and initiator lists", rules, dist.shell(sshPort, "jtgt:auth-list"));
            assertEquals("the same targets, LUNs, states and portals", listed, awaitListed(dist, sshPort, listed));
            assertEquals("LUNs 0, 1 and 2 of " + TARGET + " through CHAP and the ACL", luns, awaitLuns(dist, chap));
            dist.failing("iscsi-inq", "-i", ALLOWED, "iscsi://127.0.0.1:" + otherPort + "/" + TARGET + "/0"); // no CHAP
            dist.failing("iscsi-inq", "-i", "iqn.2026-11.org.example:not-listed", chap + "/" + TARGET + "/0");
            String offline = dist.failing("iscsi-readcapacity16", "-i", ALLOWED, chap + "/" + TARGET + "/2");
            assertTrue("the offline storage answers NOT READY:\n" + offline, offline.contains("NOT READY")
                    || offline.contains("NOT_READY"));
            dist.ok("iscsi-inq", "iscsi://127.0.0.1:" + otherPort + "/" + DEFAULT + "/0"); // portal group 2
            dist.ok("iscsi-inq", "iscsi://127.0.0.1:" + port + "/" + BY_HAND + "/0");
            qemuIo(dist, target(TARGET, otherPort, 0, true), "read -P 0x6e 0 1M");
            qemuIo(dist, target(DEFAULT, port, 0, false), "read -P 0x6f 1M 1M");
            Result conflict = qemu(dist, target(DEFAULT, port, 0, false), "write -P 0x70 0 64k");
            assertTrue("the APTPL reservation (WRITE EXCLUSIVE) holds off qemu-io's write:\n" + conflict.output,
                    conflict.output.contains("write failed"));
            String after = dist.shell(sshPort, "jtgt:export");
            assertFalse("storage 6009, its .cfg deleted while the daemon was down, stays gone:\n" + after,
                    after.contains("\"deviceID\" : 6009"));
            assertFalse("and its file is not written again", Files.exists(gone));

            try (SocketInitiator holder = new SocketInitiator("127.0.0.1", port, DEFAULT, HOLDER, HOLDER_ISID)) {
                assertEquals("6/29/00", holder.command(0, SocketInitiator.testUnitReady(), null, 0).sense());
                assertNotEquals("the saved WCE is the current one", writeCache, (cachingPage(holder)[2] & 0x04) != 0);
                SocketInitiator.Result keys = holder.command(0, SocketInitiator.persistentReserveIn(0x00, 64), null, 64);
                assertEquals("GOOD", keys.sense());
                ByteBuffer k = ByteBuffer.wrap(keys.data);
                assertEquals("one registration", 8, k.getInt(4));
                assertEquals(KEY, k.getLong(8));
                SocketInitiator.Result reservation = holder.command(0, SocketInitiator.persistentReserveIn(0x01, 64),
                        null, 64);
                ByteBuffer r = ByteBuffer.wrap(reservation.data);
                assertEquals("a reservation", 16, r.getInt(4));
                assertEquals(KEY, r.getLong(8));
                assertEquals("WRITE EXCLUSIVE, LU scope", 0x01, r.get(21));
                byte[] block = new byte[512];
                Arrays.fill(block, (byte) 0x71);
                assertEquals("the holder still writes", "GOOD",
                        holder.command(0, SocketInitiator.write10(0, 1), block, 0).sense());
                assertArrayEquals(block, holder.command(0, SocketInitiator.read10(0, 1), null, 512).data);
            }
        } finally {
            dist.stop(daemon);
        }
    }

    /** MODE SENSE (10) of the caching page (current values): the page alone. */
    private static byte[] cachingPage(SocketInitiator initiator) throws Exception {
        SocketInitiator.Result sense = initiator.command(0, SocketInitiator.modeSense10(CACHING_PAGE, 255), null, 255);
        assertEquals("GOOD", sense.sense());
        int descriptors = ((sense.data[6] & 0xFF) << 8) | (sense.data[7] & 0xFF);
        int at = 8 + descriptors;
        assertEquals(CACHING_PAGE, sense.data[at] & 0x3F);
        return Arrays.copyOfRange(sense.data, at, at + 2 + (sense.data[at + 1] & 0xFF));
    }

    /**
     * {@code iscsi-ls -s} through CHAP as the allowed initiator, once it shows LUNs 0 and 1 and stops
     * at LUN 2, which is offline: its TEST UNIT READY gets NOT READY, 04h/03h (bounded wait).
     */
    private static String awaitLuns(UnpackedDistribution dist, String portal) throws Exception {
        String output = "";
        for (int i = 0; i < 60; i++) {
            Result ls = dist.run(dist.work, "iscsi-ls", "-s", "-i", ALLOWED, portal);
            output = ls.output;
            if (output.contains("Target:" + TARGET) && output.contains("Lun:0") && output.contains("Lun:1")
                    && output.contains("TESTUNITREADY failed with SENSE KEY:NOT READY(2)") && output.contains("0x0403")) {
                return output;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("iscsi-ls never showed LUNs 0, 1 and the offline LUN 2 of " + TARGET + ":\n" + output);
    }

    /** jtgt:list once it equals {@code expected} (LUNs open asynchronously after a start), bounded. */
    private static String awaitListed(UnpackedDistribution dist, int sshPort, String expected) throws Exception {
        String listed = "";
        for (int i = 0; i < 30 && !listed.equals(expected); i++) {
            listed = dist.shell(sshPort, "jtgt:list");
            if (!listed.equals(expected)) {
                Thread.sleep(1000);
            }
        }
        return listed;
    }

    private static String target(String name, int port, int lun, boolean chap) {
        return "driver=iscsi,transport=tcp,portal=127.0.0.1:" + port + ",target=" + name + ",lun=" + lun
                + (chap ? ",user=alice,password=" + SECRET + ",initiator-name=" + ALLOWED : "");
    }

    private static Result qemu(UnpackedDistribution dist, String imageOpts, String command) throws Exception {
        return dist.run(dist.work, "qemu-io", "--image-opts", imageOpts, "-c", command);
    }

    private static void qemuIo(UnpackedDistribution dist, String imageOpts, String command) throws Exception {
        Result result = qemu(dist, imageOpts, command);
        assertEquals("qemu-io " + command + ": " + result.output, 0, result.exit);
        assertFalse("qemu-io " + command + ": " + result.output, result.output.contains("failed"));
    }

    /** Sets {@code key = value} in a .cfg/.properties file (replacing the line, or appending it). */
    private static void setKey(Path file, String key, String value) throws Exception {
        String text = Files.readString(file);
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$");
        text = line.matcher(text).find() ? line.matcher(text).replaceAll(key + " = " + value) : text + "\n" + key + " = " + value + "\n";
        Files.writeString(file, text);
    }
}
