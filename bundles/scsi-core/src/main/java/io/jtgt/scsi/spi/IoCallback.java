package io.jtgt.scsi.spi;

/**
 * Where a store reports the end of a read or write started with a callback instead of a future
 * ({@link BackingStore#read(long, io.netty.buffer.ByteBuf, int, IoCallback)}): once, on whatever
 * thread the backend finishes on. The caller is usually the handler object of the command itself,
 * so a hot I/O costs no future, no completion stage and no lambda on its way back.
 *
 * @since 1.4
 */
@FunctionalInterface
public interface IoCallback {

    /**
     * The operation ended.
     *
     * @param failure null on success; otherwise why, a {@link BackingStoreException} where the
     *     backend classified it
     */
    void ioDone(Throwable failure);
}
