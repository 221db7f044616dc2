package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An SPC-2 reservation whose nexus is lost while another nexus's command is being checked (SPC-2 5.5.1). */
class LegacyReservationNexusLossTest {

    @Test
    void aHolderLostJustAfterTheCommandArrivedDoesNotConflict() throws Exception {
        try (Harness h = new Harness().ready()) {
            ItNexus holder = h.connect();
            Harness.run(holder, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            assertGood(Harness.run(holder, TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0))); // RESERVE(6)
            CompletableFuture<ScsiResponse> write = h.nexus.execute(
                    TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512]));
            holder.close(); // the loss lands on another thread a moment after the command
            assertGood(write.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLiveHolderStillConflicts() {
        try (Harness h = new Harness().ready()) {
            ItNexus holder = h.connect();
            Harness.run(holder, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            assertGood(Harness.run(holder, TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0)));
            assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                    h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])).status());
            holder.close();
        }
    }
}
