package io.jtgt.backend.file;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/** {@link LinuxFileCalls} through JNA's libc binding (glibc, 64-bit off_t). */
final class JnaLinuxFileCalls implements LinuxFileCalls {

    // <fcntl.h>, <linux/falloc.h>, <unistd.h>; the same values on x86_64 and aarch64.
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;

    /** The libc functions used; {@code throws LastErrorException} makes JNA capture errno. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

        long lseek(int fd, long offset, int whence) throws LastErrorException;
    }

    private final LibC libc;

    JnaLinuxFileCalls() {
        if (Native.LONG_SIZE != 8) {
            // lseek/fallocate take off_t; on 32-bit ABIs that needs the *64 variants, not bound here.
            throw new UnsupportedOperationException("only 64-bit platforms are supported");
        }
        this.libc = Native.load("c", LibC.class);
    }

    @Override
    public int open(Path path, boolean readOnly) throws IOException {
        try {
            return libc.open(path.toString(), (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw failure("open " + path, e);
        }
    }

    @Override
    public void close(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            // Nothing was written through this descriptor that close could lose; the fd is gone either way.
        }
    }

    @Override
    public void punchHole(int fd, long offset, long length) throws IOException {
        try {
            libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
        } catch (LastErrorException e) {
            throw failure("fallocate(PUNCH_HOLE|KEEP_SIZE, " + offset + ", " + length + ")", e);
        }
    }

    @Override
    public void allocate(int fd, long offset, long length) throws IOException {
        try {
            libc.fallocate(fd, 0, offset, length);
        } catch (LastErrorException e) {
            throw failure("fallocate(0, " + offset + ", " + length + ")", e);
        }
    }

    @Override
    public long seekData(int fd, long offset) throws IOException {
        return seek(fd, offset, SEEK_DATA, "SEEK_DATA");
    }

    @Override
    public long seekHole(int fd, long offset) throws IOException {
        return seek(fd, offset, SEEK_HOLE, "SEEK_HOLE");
    }

    private long seek(int fd, long offset, int whence, String name) throws IOException {
        try {
            return libc.lseek(fd, offset, whence);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == NativeCallException.ENXIO) {
                return -1; // lseek(2): offset is at/after EOF, or (SEEK_DATA) no data follows it
            }
            throw failure("lseek(" + offset + ", " + name + ")", e);
        }
    }

    @Override
    public int readCached(int fd, long address, int length, long offset) throws IOException {
        return NoWaitRead.read(fd, address, length, offset);
    }

    private static NativeCallException failure(String call, LastErrorException e) {
        return new NativeCallException(call + ": " + e.getMessage(), e.getErrorCode(), e);
    }
}
