/** SPC-4 primary commands, one handler class per command, registered by {@link io.jtgt.scsi.core.spc.SpcCommands}. */
package io.jtgt.scsi.core.spc;
