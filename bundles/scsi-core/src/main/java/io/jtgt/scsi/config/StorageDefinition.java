package io.jtgt.scsi.config;

import io.jtgt.scsi.spi.StorageConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One storage object (a gotgt {@code storages} entry, Config Admin factory PID {@value ConfigPids#STORAGE}).
 *
 * @param deviceId the gotgt {@code deviceID}; targets map LUNs to it
 * @param path the {@code path} as configured ({@code file:/x}, {@code /x}, {@code s3:b/p}, {@code ceph-rbd:p/i})
 * @param backendType the provider that serves it ({@code backendType}, default the path's type prefix, else {@code file})
 * @param location the path without its type prefix
 * @param online false keeps the LUN configured but NOT READY
 * @param blockShift log2 of the logical block size, 9..12
 * @param deviceSize size in bytes for creating a missing device, 0 when not given
 * @param thinProvisioning create sparse and allow UNMAP
 * @param readOnly the LUN is write-protected: every writing command fails with DATA PROTECT,
 *     WRITE PROTECTED (SBC-3 4.x) and the backend opens the store read-only
 * @param removable the medium is removable (INQUIRY RMB=1): START STOP UNIT LOEJ ejects and loads
 *     it, PREVENT ALLOW MEDIUM REMOVAL locks it (SBC-3 5.20, SPC-4 6.13)
 * @param physicalBlockShift log2 of the physical block size ({@code blockShift}..16), or 0 when not
 *     configured: the LUN then uses the backend's alignment (READ CAPACITY(16) LOGICAL BLOCKS PER
 *     PHYSICAL BLOCK EXPONENT, SBC-3 5.16.2)
 * @param sanitizeRate MiB per second a SANITIZE OVERWRITE may write (0: as fast as the store
 *     goes), so a background sanitize of a large LUN does not starve the other LUNs on the same storage
 * @param options every other property, as strings, for the backend
 */
public record StorageDefinition(
        long deviceId,
        String path,
        String backendType,
        String location,
        boolean online,
        int blockShift,
        long deviceSize,
        boolean thinProvisioning,
        boolean readOnly,
        boolean removable,
        int physicalBlockShift,
        int sanitizeRate,
        Map<String, String> options) {

    public static final String DEVICE_ID = "deviceID";
    public static final String PATH = "path";
    public static final String ONLINE = "online";
    public static final String BACKEND_TYPE = "backendType";
    public static final String BLOCK_SHIFT = "blockShift";
    public static final String DEVICE_SIZE = "deviceSize";
    public static final String THIN_PROVISIONING = "thinProvisioning";
    public static final String READ_ONLY = "readOnly";
    public static final String REMOVABLE = "removable";
    public static final String PHYSICAL_BLOCK_SHIFT = "physicalBlockShift";
    public static final String SANITIZE_RATE = "sanitizeRate";
    /** gotgt per-storage NUMA keys: checked here, kept as backend options (the backends place the store). */
    public static final String ENABLE_NUMA = "enableNUMA";
    public static final String NUMA_NODE = "numaNode";
    /** Linux's MAX_NUMNODES is at most 1024 (CONFIG_NODES_SHIFT 10). */
    public static final int MAX_NUMA_NODE = 1023;

    /** Largest physical block: 64 KiB (an exponent of at most 7 over 512-byte blocks). */
    public static final int MAX_PHYSICAL_BLOCK_SHIFT = 16;

    public static final int MIN_BLOCK_SHIFT = 9;
    public static final int MAX_BLOCK_SHIFT = 12;

    public StorageDefinition {
        options = java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /**
     * The NUMA node this storage asks for: {@code numaNode} (0 when absent) if {@code enableNUMA}
     * is on, else -1. Whether the machine has that node is the placement's business.
     */
    public int numaNode() {
        String owner = "storage " + deviceId; // both were checked when the definition was parsed
        if (!ConfigValues.booleanValue(owner, options, ENABLE_NUMA, false)) {
            return -1;
        }
        return (int) ConfigValues.longValue(owner, options, NUMA_NODE, 0, MAX_NUMA_NODE, 0L);
    }

    /** The backend options with every {@linkplain StorageConfig#isSecretOption secret} value masked. */
    public Map<String, String> maskedOptions() {
        return StorageConfig.masked(options);
    }

    /** {@link #toProperties()} with every secret value masked, for anything shown to people. */
    public Map<String, Object> toMaskedProperties() {
        Map<String, Object> props = toProperties();
        props.replaceAll((k, v) -> StorageConfig.isSecretOption(k) ? StorageConfig.MASKED : v);
        return props;
    }

    /** A copy with other backend options (e.g. a masked secret filled in from the stored one). */
    public StorageDefinition withOptions(Map<String, String> value) {
        return new StorageDefinition(deviceId, path, backendType, location, online, blockShift, deviceSize,
                thinProvisioning, readOnly, removable, physicalBlockShift, sanitizeRate, value);
    }

    /** Secrets masked: a definition may end up in a log line or an exception message. */
    @Override
    public String toString() {
        return "StorageDefinition[deviceId=" + deviceId + ", path=" + path + ", backendType=" + backendType
                + ", location=" + location + ", online=" + online + ", blockShift=" + blockShift + ", deviceSize="
                + deviceSize + ", thinProvisioning=" + thinProvisioning + ", readOnly=" + readOnly + ", removable="
                + removable + ", physicalBlockShift=" + physicalBlockShift + ", sanitizeRate=" + sanitizeRate
                + ", options=" + maskedOptions() + "]";
    }

    /** Parses and validates a Config Admin / JSON property map. */
    public static StorageDefinition fromProperties(Map<String, ?> props) {
        Object rawId = props.get(DEVICE_ID);
        if (rawId == null) {
            throw ConfigException.missing("storage", DEVICE_ID);
        }
        long deviceId = ConfigValues.longValue("storage", props, DEVICE_ID, 0, Long.MAX_VALUE, null);
        String owner = "storage " + deviceId;
        String path = ConfigValues.stringValue(owner, props, PATH, null);
        StoragePath parsed = StoragePath.parse(owner, path);
        String backendType = ConfigValues.stringValue(owner, props, BACKEND_TYPE, parsed.type());
        if (!backendType.matches("[a-z][a-z0-9_-]*")) {
            throw ConfigException.field(owner, BACKEND_TYPE, backendType,
                    "is not a backend type (lower-case letters, digits, '-' or '_')");
        }
        if (!parsed.compatibleWith(backendType)) {
            throw ConfigException.field(owner, BACKEND_TYPE, backendType,
                    "does not match path=" + path + " (type " + parsed.type() + ")");
        }
        boolean online = ConfigValues.booleanValue(owner, props, ONLINE, true);
        int blockShift = (int) ConfigValues.longValue(owner, props, BLOCK_SHIFT, MIN_BLOCK_SHIFT, MAX_BLOCK_SHIFT, 9L);
        long deviceSize = ConfigValues.longValue(owner, props, DEVICE_SIZE, 0, Long.MAX_VALUE, 0L);
        if (deviceSize % (1L << blockShift) != 0) {
            throw ConfigException.field(owner, DEVICE_SIZE, deviceSize,
                    "is not a multiple of the block size " + (1 << blockShift));
        }
        boolean thin = ConfigValues.booleanValue(owner, props, THIN_PROVISIONING, false);
        boolean readOnly = ConfigValues.booleanValue(owner, props, READ_ONLY, false);
        boolean removable = ConfigValues.booleanValue(owner, props, REMOVABLE, false);
        int physicalBlockShift = (int) ConfigValues.longValue(owner, props, PHYSICAL_BLOCK_SHIFT, 0,
                MAX_PHYSICAL_BLOCK_SHIFT, 0L);
        if (physicalBlockShift != 0 && physicalBlockShift < blockShift) {
            throw ConfigException.field(owner, PHYSICAL_BLOCK_SHIFT, physicalBlockShift,
                    "is smaller than blockShift " + blockShift);
        }
        int sanitizeRate = (int) ConfigValues.longValue(owner, props, SANITIZE_RATE, 0, 1 << 20, 0L);
        ConfigValues.booleanValue(owner, props, ENABLE_NUMA, false);
        ConfigValues.longValue(owner, props, NUMA_NODE, 0, MAX_NUMA_NODE, 0L);
        Map<String, String> options = new TreeMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String key = e.getKey();
            if (isKnown(key) || ConfigValues.isFrameworkKey(key) || e.getValue() == null) {
                continue;
            }
            Object v = e.getValue();
            options.put(key, v instanceof String[] a ? String.join(",", a) : String.valueOf(v));
        }
        return new StorageDefinition(deviceId, path, backendType, parsed.location(), online, blockShift,
                deviceSize, thin, readOnly, removable, physicalBlockShift, sanitizeRate, options);
    }

    private static boolean isKnown(String key) {
        return switch (key) {
            case DEVICE_ID, PATH, ONLINE, BACKEND_TYPE, BLOCK_SHIFT, DEVICE_SIZE, THIN_PROVISIONING, READ_ONLY, REMOVABLE,
                    PHYSICAL_BLOCK_SHIFT, SANITIZE_RATE -> true;
            default -> false;
        };
    }

    /** The Config Admin properties of this storage; {@link #fromProperties} reads them back equal. */
    public Map<String, Object> toProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(DEVICE_ID, deviceId);
        props.put(PATH, path);
        props.put(ONLINE, online);
        props.put(BACKEND_TYPE, backendType);
        props.put(BLOCK_SHIFT, blockShift);
        props.put(DEVICE_SIZE, deviceSize);
        props.put(THIN_PROVISIONING, thinProvisioning);
        props.put(READ_ONLY, readOnly);
        props.put(REMOVABLE, removable);
        if (physicalBlockShift != 0) {
            props.put(PHYSICAL_BLOCK_SHIFT, physicalBlockShift);
        }
        if (sanitizeRate != 0) {
            props.put(SANITIZE_RATE, sanitizeRate);
        }
        props.putAll(options);
        return props;
    }

    /** The logical block size in bytes. */
    public int blockSize() {
        return 1 << blockShift;
    }

    /** A copy with another {@code online} flag. */
    public StorageDefinition withOnline(boolean value) {
        return new StorageDefinition(deviceId, path, backendType, location, value, blockShift, deviceSize,
                thinProvisioning, readOnly, removable, physicalBlockShift, sanitizeRate, options);
    }

    /** A copy with another {@code deviceSize}. */
    public StorageDefinition withDeviceSize(long value) {
        return new StorageDefinition(deviceId, path, backendType, location, online, blockShift, value,
                thinProvisioning, readOnly, removable, physicalBlockShift, sanitizeRate, options);
    }

    /** What the backend gets to open the store. */
    public StorageConfig toStorageConfig() {
        return new StorageConfig(deviceId, backendType, location, deviceSize, blockSize(), thinProvisioning,
                readOnly, options);
    }
}
