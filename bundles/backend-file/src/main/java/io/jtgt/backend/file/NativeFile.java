package io.jtgt.backend.file;

/** Our own descriptor on the backing file, for the calls FileChannel lacks. */
record NativeFile(LinuxFileCalls calls, int fd) {

    void close() {
        calls.close(fd);
    }
}
