package io.jtgt.backend.rbd;

import io.jtgt.scsi.spi.StorageConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One RBD storage's connection settings, read from its {@link StorageConfig}: location
 * {@code pool/image} (from {@code path} {@code ceph-rbd:pool/image} or {@code rbd:pool/image}) and
 * the options
 * <ul>
 * <li>{@code namespace} — RADOS namespace of the image (optional)
 * <li>{@code cephConf} — ceph.conf path (default: librados' own search, e.g. /etc/ceph/ceph.conf)
 * <li>{@code clientId} (e.g. {@code admin}) or {@code clientName} (e.g. {@code client.admin})
 * <li>{@code keyring} (path) or {@code key} (the secret itself; masked in every output)
 * <li>{@code createImage} — {@code true} (default) creates a missing image of {@code deviceSize};
 *     {@code false} refuses to
 * <li>librados/librbd options passed through: any option named {@code ceph.<name>}, and any named
 *     {@code rados_*}, {@code rbd_*}, {@code client_mount_timeout}
 * </ul>
 * Defaults make every wait bounded: librbd has no I/O timeout of its own (a dead OSD would block
 * forever), so {@code rados_osd_op_timeout}, {@code rados_mon_op_timeout} and
 * {@code client_mount_timeout} default to {@value #DEFAULT_TIMEOUT_SECONDS} s. Partial discards
 * zero the range ({@code rbd_skip_partial_discard=false}) so that unmapped blocks read as zeros.
 *
 * <p>librbd's write-back cache is off by default ({@code rbd_cache=false}, as iSCSI gateways over
 * librbd run it): with it on, a flush was seen to report success after the write-back it waited
 * for had timed out on a killed OSD, and the FUA write it covered was lost (RbdOsdCrashIT). With
 * the cache off a write completes only once the OSD has committed it.
 */
public record RbdSettings(
        String pool,
        String image,
        String namespace,
        String cephConf,
        String clientId,
        String clientName,
        String keyring,
        String key,
        boolean createImage,
        long deviceSize,
        Map<String, String> cephOptions) {

    public static final String NAMESPACE = "namespace";
    public static final String CEPH_CONF = "cephConf";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_NAME = "clientName";
    public static final String KEYRING = "keyring";
    public static final String KEY = "key";
    public static final String CREATE_IMAGE = "createImage";
    public static final String CEPH_OPTION_PREFIX = "ceph.";

    public static final String DEFAULT_TIMEOUT_SECONDS = "30";

    public RbdSettings {
        cephOptions = Map.copyOf(cephOptions);
    }

    /** @throws IllegalArgumentException naming the field when the configuration is unusable */
    public static RbdSettings from(StorageConfig config) {
        String location = config.location() == null ? "" : config.location();
        int slash = location.indexOf('/');
        if (slash <= 0 || slash == location.length() - 1 || location.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("storage " + config.deviceId() + ": path '" + location
                    + "' is not pool/image (ceph-rbd:pool/image)");
        }
        String clientId = blankToNull(config.option(CLIENT_ID));
        String clientName = blankToNull(config.option(CLIENT_NAME));
        if (clientId != null && clientName != null) {
            throw new IllegalArgumentException("storage " + config.deviceId()
                    + ": give clientId or clientName, not both");
        }
        if (clientName != null && !clientName.contains(".")) {
            throw new IllegalArgumentException("storage " + config.deviceId() + ": clientName '" + clientName
                    + "' is not type.id (e.g. client.admin)");
        }
        String create = config.option(CREATE_IMAGE).orElse("true").trim();
        if (!create.equalsIgnoreCase("true") && !create.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("storage " + config.deviceId() + ": createImage '" + create
                    + "' is not true or false");
        }
        Map<String, String> ceph = new LinkedHashMap<>();
        ceph.put("rados_osd_op_timeout", DEFAULT_TIMEOUT_SECONDS);
        ceph.put("rados_mon_op_timeout", DEFAULT_TIMEOUT_SECONDS);
        ceph.put("client_mount_timeout", DEFAULT_TIMEOUT_SECONDS);
        ceph.put("rbd_skip_partial_discard", "false");
        ceph.put("rbd_cache", "false");
        config.options().forEach((name, value) -> {
            if (name.startsWith(CEPH_OPTION_PREFIX) && name.length() > CEPH_OPTION_PREFIX.length()) {
                ceph.put(name.substring(CEPH_OPTION_PREFIX.length()), value);
            } else if (name.startsWith("rados_") || name.startsWith("rbd_") || name.equals("client_mount_timeout")) {
                ceph.put(name, value);
            }
        });
        return new RbdSettings(location.substring(0, slash), location.substring(slash + 1),
                blankToNull(config.option(NAMESPACE)), blankToNull(config.option(CEPH_CONF)), clientId, clientName,
                blankToNull(config.option(KEYRING)), blankToNull(config.option(KEY)),
                create.equalsIgnoreCase("true"), config.deviceSize(), ceph);
    }

    /** {@code pool[/namespace]/image}, for messages. */
    public String displayName() {
        return pool + "/" + (namespace == null ? "" : namespace + "/") + image;
    }

    @Override
    public String toString() { // the key never appears in logs or shell output
        return "RbdSettings[" + displayName() + ", cephConf=" + cephConf + ", client="
                + (clientName != null ? clientName : clientId != null ? "client." + clientId : "(default)")
                + ", keyring=" + keyring + ", key=" + (key == null ? null : "****") + ", createImage=" + createImage
                + ", deviceSize=" + deviceSize + ", cephOptions=" + cephOptions + "]";
    }

    private static String blankToNull(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
