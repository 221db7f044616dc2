/** SBC-3 block commands, one handler class per command family, registered by {@link io.jtgt.scsi.core.sbc.SbcCommands}. */
package io.jtgt.scsi.core.sbc;
