package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The conformance run's guards can fail: on a plain LUN (none of the special properties set) every
 * profile check must report the profile as not in effect, so a property the target ignores fails
 * the build instead of turning into quietly skipped tests.
 */
class LunProfileProbeIT {

    @Test
    void aPlainLunIsNeitherReadOnlyNorRemovableNorFourKibPhysical() {
        try (EmbeddedTarget plain = LunProfile.THIN_512.start()) {
            for (LunProfile profile : new LunProfile[] {LunProfile.READ_ONLY, LunProfile.REMOVABLE,
                LunProfile.PHYSICAL_4K}) {
                Optional<String> problem = profile.notInEffect(plain);
                assertTrue(problem.isPresent(), () -> profile + " probe accepted a plain LUN");
                assertTrue(problem.get().contains("is not honoured"), problem::get);
            }
        }
    }
}
