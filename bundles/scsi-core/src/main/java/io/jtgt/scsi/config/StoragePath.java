package io.jtgt.scsi.config;

/**
 * A storage {@code path} split into its type prefix and location, as gotgt writes them:
 * {@code file:/abs/path.img} (a plain path also means file), {@code s3:bucket/prefix},
 * {@code ceph-rbd:pool/image} (alias {@code rbd:pool/image}).
 *
 * @param type the backend type the prefix names
 * @param location the rest
 * @param explicit true when the path carried a prefix
 */
record StoragePath(String type, String location, boolean explicit) {

    static StoragePath parse(String owner, String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("file://")) {
            return file(owner, path, path.substring("file://".length()), true);
        }
        if (lower.startsWith("file:")) {
            return file(owner, path, path.substring("file:".length()), true);
        }
        if (lower.startsWith("s3:")) {
            String loc = path.substring(3);
            int slash = loc.indexOf('/');
            String bucket = slash < 0 ? loc : loc.substring(0, slash);
            if (bucket.isEmpty()) {
                throw ConfigException.field(owner, StorageDefinition.PATH, path, "has no bucket (s3:bucket/prefix)");
            }
            return new StoragePath("s3", loc, true);
        }
        if (lower.startsWith("ceph-rbd:") || lower.startsWith("rbd:")) {
            String loc = path.substring(path.indexOf(':') + 1);
            int slash = loc.indexOf('/');
            if (slash <= 0 || slash == loc.length() - 1) {
                throw ConfigException.field(owner, StorageDefinition.PATH, path, "is not pool/image (ceph-rbd:pool/image)");
            }
            return new StoragePath("ceph-rbd", loc, true);
        }
        int colon = path.indexOf(':');
        if (colon > 0 && path.substring(0, colon).matches("[A-Za-z][A-Za-z0-9_-]+")) {
            throw ConfigException.field(owner, StorageDefinition.PATH, path,
                    "has an unknown type prefix (file:, s3:, ceph-rbd: or rbd:)");
        }
        return file(owner, path, path, false);
    }

    private static StoragePath file(String owner, String path, String location, boolean explicit) {
        if (location.isEmpty()) {
            throw ConfigException.field(owner, StorageDefinition.PATH, path, "names no file");
        }
        return new StoragePath("file", location, explicit);
    }

    /**
     * Whether a storage of this path may be served by {@code backendType}. A file location may be
     * served by any file-like backend (file, iouring); object and RBD locations only by their own.
     */
    boolean compatibleWith(String backendType) {
        return type.equals("file") || type.equals(backendType);
    }
}
