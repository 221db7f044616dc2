package io.jtgt.iscsi.session;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ScsiTarget;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A logged-in iSCSI session (one connection: MaxConnections=1). Identity is immutable; the
 * command window is used on the connection's event loop only.
 */
public final class IscsiSession {

    private final int tsih;
    private final long isid;
    private final String initiatorName;
    private final ScsiTarget target;
    private final int tpgt;
    private final Channel channel;
    private final CommandWindow window;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ItNexus nexus;
    private volatile IscsiConnection connection;
    private volatile Map<String, String> parameters = Map.of();

    IscsiSession(int tsih, long isid, String initiatorName, ScsiTarget target, int tpgt, Channel channel,
            CommandWindow window) {
        this.tsih = tsih;
        this.isid = isid;
        this.initiatorName = initiatorName;
        this.target = target;
        this.tpgt = tpgt;
        this.channel = channel;
        this.window = window;
    }

    public int tsih() {
        return tsih;
    }

    public long isid() {
        return isid;
    }

    public String initiatorName() {
        return initiatorName;
    }

    /** The target; null for a discovery session. */
    public ScsiTarget target() {
        return target;
    }

    public boolean discovery() {
        return target == null;
    }

    public int tpgt() {
        return tpgt;
    }

    CommandWindow window() {
        return window;
    }

    IscsiConnection connection() {
        return connection;
    }

    void connection(IscsiConnection value) {
        this.connection = value;
    }

    ItNexus nexus() {
        return nexus;
    }

    void nexus(ItNexus value) {
        this.nexus = value;
    }

    Map<String, String> parameters() {
        return parameters;
    }

    void parameters(Map<String, String> value) {
        this.parameters = Map.copyOf(value);
    }

    /**
     * Asks the initiator to log out within {@code seconds} (RFC 7143 11.9.1 AsyncEvent 1), and
     * closes the session if it has not by then.
     */
    public void requestLogout(int seconds) {
        IscsiConnection c = connection;
        if (c != null) {
            c.requestLogout(seconds);
        }
    }

    /** Ends the session from outside (reinstatement, server shutdown): closes its connection. */
    public void terminate() {
        // Flush first: a response just written (e.g. to TARGET COLD RESET) still goes out.
        IscsiConnection.closeAfterFlush(channel);
    }

    /** I_T nexus loss (SAM-5 6.3.4): called once when the connection is gone. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            ItNexus n = nexus;
            if (n != null) {
                n.close();
            }
        }
    }

    /** Same I_T nexus identity: RFC 7143 6.3.5 session reinstatement key. */
    boolean sameInitiatorPort(IscsiSession other) {
        return isid == other.isid && initiatorName.equals(other.initiatorName) && target != null
                && other.target != null && target.name().equals(other.target.name());
    }

    @Override
    public String toString() {
        return "session[tsih=" + tsih + ", initiator=" + initiatorName + ", isid=" + Long.toHexString(isid)
                + ", target=" + (target == null ? "discovery" : target.name()) + "]";
    }
}
