package io.jtgt.iscsi.login;

import io.jtgt.iscsi.text.TextParameters;
import java.util.List;
import java.util.Map;

/** One authentication dialogue in the security stage. */
public interface AuthExchange {

    enum State {
        /** More security keys must be exchanged. */
        CONTINUE,
        /** The initiator is authenticated (and, for mutual methods, so is the target). */
        DONE,
        /** Authentication failed: login ends with status 0x0201. */
        FAILED
    }

    /**
     * Consumes the security keys of one Login Request (AuthMethod already handled) and adds the
     * answering keys to {@code response}.
     *
     * @throws LoginException to end the login with a specific status (e.g. 0x0200 for malformed keys)
     */
    State step(List<Map.Entry<String, String>> securityKeys, TextParameters response) throws LoginException;
}
