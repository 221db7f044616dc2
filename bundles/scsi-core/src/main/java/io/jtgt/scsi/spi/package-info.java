/**
 * The BackingStore SPI: what a backend bundle implements to put storage behind a LUN.
 *
 * <p>A backend knows nothing of SCSI. It moves bytes at byte offsets, asynchronously: every call
 * returns at once with a {@link java.util.concurrent.CompletableFuture} (read and write also with an
 * {@link io.jtgt.scsi.spi.IoCallback}) and must never block the calling thread (it may be a Netty
 * event loop) on disk, network or locks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.jtgt.scsi.spi;
