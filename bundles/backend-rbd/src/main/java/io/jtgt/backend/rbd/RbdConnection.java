package io.jtgt.backend.rbd;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import java.io.File;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synchronous side of one RBD storage, through rados-java: cluster handle, I/O context and
 * open image. Every method blocks (bounded by the client_mount/mon_op timeouts) and runs on the
 * provider's open/close threads, never on an I/O path.
 */
final class RbdConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RbdConnection.class);

    final Rados rados;
    final IoCTX ioctx;
    final RbdImage image;
    final long objectSize;

    private RbdConnection(Rados rados, IoCTX ioctx, RbdImage image, long objectSize) {
        this.rados = rados;
        this.ioctx = ioctx;
        this.image = image;
        this.objectSize = objectSize;
    }

    /** Connects, opens the pool and the image, creating it when missing and allowed. */
    static RbdConnection open(RbdSettings settings) {
        Rados rados = settings.clientName() != null ? new Rados("ceph", settings.clientName(), 0)
                : new Rados(settings.clientId() != null ? settings.clientId() : "admin");
        IoCTX ioctx = null;
        try {
            if (settings.cephConf() != null) {
                File conf = new File(settings.cephConf());
                if (!conf.isFile()) {
                    throw new IllegalArgumentException("cephConf '" + settings.cephConf() + "' is not a readable file");
                }
                rados.confReadFile(conf);
            } else {
                // librados' default search: $CEPH_CONF, /etc/ceph/ceph.conf, ~/.ceph/config, ./ceph.conf
                readDefaultConf(rados);
            }
            for (Map.Entry<String, String> option : settings.cephOptions().entrySet()) {
                set(rados, option.getKey(), option.getValue());
            }
            if (settings.keyring() != null) {
                set(rados, "keyring", settings.keyring());
            }
            if (settings.key() != null) {
                set(rados, "key", settings.key());
            }
            rados.connect();
            ioctx = rados.ioCtxCreate(settings.pool());
            if (settings.namespace() != null) {
                ioctx.setNamespace(settings.namespace());
            }
            Rbd rbd = new Rbd(ioctx);
            RbdImage image = openOrCreate(rbd, settings);
            long objectSize = image.stat().obj_size;
            return new RbdConnection(rados, ioctx, image, objectSize);
        } catch (RadosException e) {
            destroy(rados, ioctx);
            throw classify(e.getReturnValue(), settings, e);
        } catch (RbdException e) {
            destroy(rados, ioctx);
            throw classify(e.getReturnValue(), settings, e);
        } catch (RuntimeException | Error e) {
            destroy(rados, ioctx);
            throw e;
        }
    }

    private static void readDefaultConf(Rados rados) throws RadosException {
        String env = System.getenv("CEPH_CONF");
        File conf = env != null && !env.isBlank() ? new File(env) : new File("/etc/ceph/ceph.conf");
        if (conf.isFile()) {
            rados.confReadFile(conf);
        }
    }

    private static void set(Rados rados, String name, String value) throws RadosException {
        try {
            rados.confSet(name, value);
        } catch (RadosException e) {
            throw new IllegalArgumentException("librados option " + name + " = '"
                    + (name.equals("key") ? "****" : value) + "' was refused: " + e.getMessage(), e);
        }
    }

    private static RbdImage openOrCreate(Rbd rbd, RbdSettings settings) throws RbdException {
        try {
            return rbd.open(settings.image());
        } catch (RbdException e) {
            if (e.getReturnValue() != -RbdErrors.ENOENT) {
                throw e;
            }
        }
        if (!settings.createImage()) {
            throw new BackingStoreException(Kind.UNAVAILABLE, "RBD image " + settings.displayName()
                    + " does not exist and createImage=false");
        }
        if (settings.deviceSize() <= 0) {
            throw new BackingStoreException(Kind.UNAVAILABLE, "RBD image " + settings.displayName()
                    + " does not exist; set deviceSize to create it");
        }
        try {
            rbd.create(settings.image(), settings.deviceSize(), 0); // order 0: librbd's defaults (4 MiB objects)
            LOG.info("Created RBD image {} of {} bytes", settings.displayName(), settings.deviceSize());
        } catch (RbdException e) {
            if (e.getReturnValue() != -RbdErrors.EEXIST) { // another gateway created it first
                throw e;
            }
        }
        return rbd.open(settings.image());
    }

    private static BackingStoreException classify(int rc, RbdSettings settings, Exception cause) {
        String what = "RBD " + settings.displayName() + ": " + cause.getMessage();
        if (rc == -RbdErrors.ENOENT) {
            return new BackingStoreException(Kind.UNAVAILABLE, what + " (pool or image not found)", cause);
        }
        if (ClusterUnreachableException.isUnreachable(rc)) {
            return new ClusterUnreachableException(what + " (errno " + rc
                    + ": no answer from the cluster within client_mount_timeout / rados_osd_op_timeout)", cause);
        }
        if (rc == -1 || rc == -13 || rc == -RbdErrors.EINVAL) { // EPERM, EACCES; EINVAL for a malformed key
            what += " (check clientId/clientName, keyring or key)";
        }
        Kind kind = RbdErrors.toException(rc, Kind.UNAVAILABLE, what).kind();
        return new BackingStoreException(kind == Kind.INTERNAL ? Kind.UNAVAILABLE : kind, what, cause);
    }

    /** Closes image, I/O context and cluster handle, in that order; never throws. */
    void close() {
        try {
            image.close();
        } catch (Exception e) {
            LOG.warn("Closing RBD image {} failed: {}", image.getName(), e.toString());
        }
        destroy(rados, ioctx);
    }

    private static void destroy(Rados rados, IoCTX ioctx) {
        if (ioctx != null) {
            rados.ioCtxDestroy(ioctx);
        }
        rados.shutDown();
    }
}
