/**
 * The flat-file backend ({@code backendType=file}). Exported so that another backend can serve
 * through this one's I/O: backend-iouring falls back to a {@link io.jtgt.backend.file.FileBackingStoreProvider}
 * where io_uring is unusable. Only the provider is public; stores, pools and native calls stay private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jtgt.backend.file;
