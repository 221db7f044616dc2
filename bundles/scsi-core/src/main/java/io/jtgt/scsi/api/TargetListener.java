package io.jtgt.scsi.api;

/**
 * Told when a target leaves the registry, so the transport can ask its sessions to log out
 * (RFC 7143 11.9.1 AsyncEvent 1) instead of letting them find out by failing commands.
 */
@FunctionalInterface
public interface TargetListener {

    /** Called after the target is gone from the registry, outside any registry lock. */
    void targetRemoved(String name);
}
