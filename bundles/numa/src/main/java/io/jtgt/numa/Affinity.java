package io.jtgt.numa;

/** Pins the calling thread to a set of CPUs (sched_setaffinity on Linux). */
public interface Affinity {

    /** Does nothing: no pinning available (no JNA, not Linux). */
    Affinity NONE = new Affinity() {
        @Override
        public void pinCurrentThread(int[] cpus) {
            throw new UnsupportedOperationException("thread pinning is not available here");
        }

        @Override
        public boolean available() {
            return false;
        }
    };

    /**
     * Restricts the calling thread to {@code cpus}.
     *
     * @throws UnsupportedOperationException when pinning is unavailable or the kernel refused
     */
    void pinCurrentThread(int[] cpus);

    /** Whether {@link #pinCurrentThread} can work at all. */
    boolean available();

    /** sched_setaffinity through JNA on Linux, else {@link #NONE}. */
    static Affinity system() {
        try {
            return LinuxAffinity.load();
        } catch (Throwable t) { // NoClassDefFoundError without JNA, UnsatisfiedLinkError without libc
            return NONE;
        }
    }
}
