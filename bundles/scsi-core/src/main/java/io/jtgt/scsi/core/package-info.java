/**
 * The SCSI target as plain Java: {@link io.jtgt.scsi.core.ScsiTargetService} (storages, targets,
 * providers, portals), the logical units ({@link io.jtgt.scsi.core.Device}) that bind to backend
 * providers as they come and go, I_T nexuses with their unit attentions, reservations and the task
 * set, and the one dispatch table ({@link io.jtgt.scsi.core.CommandTable}) whose rows the SPC-4
 * ({@code spc}) and SBC-3 ({@code sbc}) command sets register. Sense data is built in one place,
 * {@link io.jtgt.scsi.core.SenseData}, from the codes in {@link io.jtgt.scsi.core.SenseCode}.
 *
 * <p>Nothing here blocks: commands run concurrently and complete through the futures of the
 * BackingStore SPI.
 */
package io.jtgt.scsi.core;
