package io.jtgt.scsi.api;

/**
 * A network portal the transport listens on; registered as an OSGi service by the transport so
 * management can list it.
 */
public interface Portal {

    /** The gotgt portal {@code id}. */
    int id();

    /** The configured address, {@code host:port}. */
    String address();

    /** True while the listening socket is bound. */
    boolean listening();
}
