package io.jtgt.numa;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** sched_setaffinity(2) through JNA: pid 0 is the calling thread, the mask a cpu_set_t of longs. */
final class LinuxAffinity implements Affinity {

    interface LibC extends Library {
        int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;
    }

    private final LibC libc;

    private LinuxAffinity(LibC libc) {
        this.libc = libc;
    }

    static Affinity load() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")
                || Native.LONG_SIZE != 8) {
            return NONE;
        }
        return new LinuxAffinity(Native.load("c", LibC.class));
    }

    @Override
    public void pinCurrentThread(int[] cpus) {
        if (cpus.length == 0) {
            throw new UnsupportedOperationException("no CPUs to pin to");
        }
        int max = 0;
        for (int cpu : cpus) {
            max = Math.max(max, cpu);
        }
        long[] mask = new long[Math.max(16, max / 64 + 1)]; // at least glibc's 1024-bit cpu_set_t
        for (int cpu : cpus) {
            mask[cpu / 64] |= 1L << (cpu % 64);
        }
        try {
            libc.sched_setaffinity(0, mask.length * 8L, mask);
        } catch (LastErrorException e) {
            throw new UnsupportedOperationException("sched_setaffinity(" + java.util.Arrays.toString(cpus)
                    + ") failed: errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public boolean available() {
        return true;
    }
}
