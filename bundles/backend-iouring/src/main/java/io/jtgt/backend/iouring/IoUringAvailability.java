package io.jtgt.backend.iouring;

import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides whether io_uring can be used here, and if not, why: the answer is the one log line
 * the provider writes when it falls back to the file backend's I/O.
 */
final class IoUringAvailability {

    static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    private IoUringAvailability() {
    }

    /** Empty when io_uring is usable, else the reason it is not. */
    static Optional<String> unusableReason() {
        return unusableReason(DISABLED_SYSCTL);
    }

    /** {@code -Djtgt.iouring.disable=true}: serve iouring storages with the file backend's I/O (to compare, or to test the fallback). */
    static final String DISABLE_PROPERTY = "jtgt.iouring.disable";

    static Optional<String> unusableReason(Path sysctl) {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return Optional.of("disabled by the system property " + DISABLE_PROPERTY);
        }
        try {
            Optional<String> sysctlReason = sysctlReason(sysctl);
            if (sysctlReason.isPresent()) {
                return sysctlReason;
            }
            // Covers wrong OS/arch, missing native fragment, kernel < 5.9 and setup refused
            // (EPERM/ENOSYS from seccomp in containers).
            if (!IoUring.isAvailable()) {
                Throwable cause = IoUring.unavailabilityCause();
                return Optional.of("Netty io_uring unavailable: " + (cause == null ? "unknown cause" : cause.toString()));
            }
            return Optional.empty();
        } catch (Throwable t) { // NoClassDefFoundError, UnsatisfiedLinkError, ...
            return Optional.of("io_uring probe failed: " + t);
        }
    }

    /** kernel.io_uring_disabled: 0 (or missing) = allowed, 1 = privileged only, 2 = off. */
    static Optional<String> sysctlReason(Path sysctl) {
        String value;
        try {
            value = Files.readString(sysctl).trim();
        } catch (IOException | SecurityException missing) {
            return Optional.empty(); // older kernels have no such switch: io_uring is allowed
        }
        if (value.equals("2")) {
            return Optional.of("kernel.io_uring_disabled = 2 (io_uring switched off)");
        }
        if (value.equals("1") && !"root".equals(System.getProperty("user.name"))) {
            return Optional.of("kernel.io_uring_disabled = 1 (io_uring limited to privileged users / io_uring_group)");
        }
        return Optional.empty();
    }
}
