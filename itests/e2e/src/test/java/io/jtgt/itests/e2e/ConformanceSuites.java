package io.jtgt.itests.e2e;

import java.util.Map;
import java.util.Set;

/**
 * Which LUN each libiscsi suite runs against, in one table. Suites not named here (and any a
 * newer libiscsi adds) run on {@link LunProfile#THIN_512}. Found by reading libiscsi's
 * test-tool/test_*.c: what each test checks before it does anything, and what it skips on.
 */
final class ConformanceSuites {

    private static final Map<String, LunProfile> PROFILES = Map.ofEntries(
            // CHECK_FOR_READONLY: needs MODE SENSE WP=1, then every write command must fail WRITE PROTECTED.
            Map.entry("ReadOnly", LunProfile.READ_ONLY),
            // Skip (or, for NoMedia, pass without testing) unless INQUIRY RMB=1.
            Map.entry("PreventAllow", LunProfile.REMOVABLE),
            Map.entry("StartStopUnit", LunProfile.REMOVABLE),
            Map.entry("NoMedia", LunProfile.REMOVABLE),
            // UnmapUnaligned / InvalidDataOutSize skip with "LBPPB < 2" on a 1:1 logical:physical LUN.
            Map.entry("WriteSame10", LunProfile.PHYSICAL_4K),
            Map.entry("WriteSame16", LunProfile.PHYSICAL_4K),
            Map.entry("CompareAndWrite", LunProfile.PHYSICAL_4K),
            // Reset needs a SANITIZE OVERWRITE still running ~5 s after it started.
            Map.entry("Sanitize", LunProfile.SANITIZE),
            // mp_sds[0..1]: two URLs that must identify as the same LU (VPD 83h), two sessions.
            Map.entry("MultipathIO", LunProfile.MULTIPATH));
    // ExtendedCopy and ReceiveCopyResults copy within the LUN under test (one target descriptor
    // built from its own VPD 83h designator), so they need no second LUN.

    /**
     * Issue 2 (the walking skeleton): these suites must pass in full, every test PASSED, or the
     * build fails, whatever the committed table says.
     */
    static final Set<String> REQUIRED = Set.of("Inquiry", "Mandatory", "ModeSense6", "Read6", "Read10", "Read12",
            "Read16", "ReadCapacity10", "ReadCapacity16", "TestUnitReady", "Write10", "Write12", "Write16");

    private ConformanceSuites() {}

    static LunProfile profile(String suite) {
        return PROFILES.getOrDefault(suite, LunProfile.THIN_512);
    }
}
