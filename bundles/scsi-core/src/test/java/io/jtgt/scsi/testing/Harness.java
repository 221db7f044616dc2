package io.jtgt.scsi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A ScsiTargetService with one target, one in-memory LUN 0 and one nexus. */
public final class Harness implements AutoCloseable {

    public static final String TARGET = "iqn.2026-11.io.jtgt:test";

    public final ScsiTargetService service = new ScsiTargetService();
    public final MemoryProvider provider;
    public final ItNexus nexus;

    public Harness(long blocks, int blockShift, boolean thin, Capabilities caps) {
        this(Map.of(), blocks, blockShift, thin, caps);
    }

    /** A LUN 0 whose storage has these further {@code io.jtgt.storage} properties (readOnly, removable, ...). */
    public Harness(Map<String, Object> storageOptions, long blocks, int blockShift, boolean thin, Capabilities caps) {
        provider = new MemoryProvider("mem", caps);
        service.addProvider(provider);
        Map<String, Object> props = new HashMap<>(storage(1000, "mem:disk", blocks << blockShift, blockShift, thin)
                .toProperties());
        props.putAll(storageOptions);
        service.putStorage(StorageDefinition.fromProperties(props));
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L)));
        nexus = connect();
    }

    public Harness() {
        this(2048, 9, false, Capabilities.BASIC);
    }

    private long nextIsid = 0x23d000000001L;

    /** A new I_T nexus from another initiator port (a fresh ISID), as a second session would be. */
    public ItNexus connect() {
        long isid = nextIsid++;
        return service.target(TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:init", isid,
                1, 1, "127.0.0.1:50000", "127.0.0.1:3260", Map::of, () -> 0));
    }

    public static StorageDefinition storage(long id, String path, long size, int blockShift, boolean thin) {
        Map<String, Object> p = new HashMap<>();
        p.put("deviceID", id);
        p.put("path", path.startsWith("mem:") ? path.substring(4) : path);
        p.put("backendType", "mem");
        p.put("deviceSize", size);
        p.put("blockShift", blockShift);
        p.put("thinProvisioning", thin);
        return StorageDefinition.fromProperties(p);
    }

    public MemoryBackingStore store() {
        return provider.stores.get(1000L);
    }

    public ScsiResponse run(TestCommand c) {
        return run(nexus, c);
    }

    public static ScsiResponse run(ItNexus n, TestCommand c) {
        try {
            return n.execute(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs TEST UNIT READY once to consume the power-on unit attention. */
    public Harness ready() {
        ScsiResponse r = run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
        assertEquals(0x29, r.sense()[12] & 0xFF, "first command reports POWER ON");
        return this;
    }

    /** The response's data as bytes (releasing it). */
    public static byte[] data(ScsiResponse r) {
        ByteBuf b = r.data();
        if (b == null) {
            return new byte[0];
        }
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    /** Asserts CHECK CONDITION with this key/ASC/ASCQ. */
    public static void assertSense(ScsiResponse r, int key, int asc, int ascq) {
        assertEquals(ScsiResponse.CHECK_CONDITION, r.status(), "status");
        byte[] s = r.sense();
        assertEquals(String.format("%x/%02x/%02x", key, asc, ascq),
                String.format("%x/%02x/%02x", s[2] & 0x0F, s[12] & 0xFF, s[13] & 0xFF));
    }

    public static void assertGood(ScsiResponse r) {
        assertEquals(ScsiResponse.GOOD, r.status(), () -> "status, sense "
                + (r.sense().length > 13 ? String.format("%x/%02x/%02x", r.sense()[2] & 0xF, r.sense()[12] & 0xFF,
                        r.sense()[13] & 0xFF) : ""));
    }

    @Override
    public void close() {
        nexus.close();
        service.close();
    }
}
