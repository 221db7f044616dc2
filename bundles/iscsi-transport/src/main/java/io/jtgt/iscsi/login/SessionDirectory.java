package io.jtgt.iscsi.login;

/** What login needs to know about existing sessions (implemented by the session registry). */
public interface SessionDirectory {

    /** True while a session with this TSIH exists. */
    boolean exists(int tsih);

    /** A fresh non-zero TSIH not used by any live session (RFC 7143 11.12.6). */
    int allocateTsih();
}
