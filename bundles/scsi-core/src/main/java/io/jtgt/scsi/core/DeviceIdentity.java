package io.jtgt.scsi.core;

import io.jtgt.scsi.config.StorageDefinition;
import java.nio.charset.StandardCharsets;

/**
 * The names a logical unit answers to in INQUIRY: the NAA designator (SPC-4 7.8.6.6.3, NAA 3h
 * "locally assigned" - jtgt owns no IEEE company id), the unit serial number (VPD 80h) and the
 * vendor/product strings. All derive from the storage's deviceID and location, so they are
 * stable across restarts (multipath and udev rely on that) and differ between storages.
 *
 * @param naa the 8-byte NAA designator value, top nibble 3h
 * @param serial the unit serial number (ASCII, 16 hex digits)
 */
public record DeviceIdentity(long naa, String serial) {

    /** T10 vendor identification, 8 bytes (SPC-4 6.6.2); jtgt is not a registered vendor. */
    public static final String VENDOR = "JTGT    ";
    /** Product identification, 16 bytes. */
    public static final String PRODUCT = "jtgt disk       ";
    /** Product revision level, 4 bytes. */
    public static final String REVISION = "0001";

    static DeviceIdentity of(StorageDefinition def) {
        // FNV-1a 64 over "deviceID:backendType:location": deterministic, spreads well
        long h = 0xcbf29ce484222325L;
        for (byte b : (def.deviceId() + ":" + def.backendType() + ":" + def.location()).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        long value = h & 0x0FFF_FFFF_FFFF_FFFFL; // 60 bits of locally administered value
        long naa = 0x3000_0000_0000_0000L | value;
        return new DeviceIdentity(naa, String.format("%016x", naa));
    }
}
