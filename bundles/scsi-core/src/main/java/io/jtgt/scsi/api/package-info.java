/**
 * What scsi-core offers the layers above it: the transport (targets, I_T nexuses, commands) and
 * the management tools (shell, REST) through {@link io.jtgt.scsi.api.ManagementService}.
 *
 * <p>Nothing here knows of PDUs or sockets; the transport adapts its tasks to {@link
 * io.jtgt.scsi.api.ScsiCommand}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.8.0")
package io.jtgt.scsi.api;
