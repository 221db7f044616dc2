package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiResponse;
import java.util.concurrent.CompletionStage;

/**
 * Executes one SCSI command (one opcode or service action). May throw {@link ScsiException}
 * for a CHECK CONDITION found before any I/O; must not block.
 */
@FunctionalInterface
public interface CommandHandler {
    CompletionStage<ScsiResponse> execute(CommandContext ctx);
}
