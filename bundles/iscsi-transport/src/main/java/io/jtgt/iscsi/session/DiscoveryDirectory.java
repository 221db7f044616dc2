package io.jtgt.iscsi.session;

import io.jtgt.scsi.api.ScsiTarget;
import java.net.InetSocketAddress;
import java.util.List;

/** Where a target can be reached, for SendTargets (RFC 7143 Appendix C). */
public interface DiscoveryDirectory {

    /**
     * The TargetAddress values ({@code host:port,tpgt}) of every bound portal in the target's
     * portal groups.
     *
     * @param local the local address of the asking connection, used for wildcard-bound portals
     */
    List<String> addresses(ScsiTarget target, InetSocketAddress local);
}
