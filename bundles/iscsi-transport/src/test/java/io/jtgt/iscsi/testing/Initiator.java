package io.jtgt.iscsi.testing;

import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.text.TextParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The initiator side of a transport test: encodes PDUs into the target's EmbeddedChannel and
 * decodes what the target wrote back, through the real codec.
 */
public final class Initiator {

    public final EmbeddedChannel target;
    private final CodecSettings codec = new CodecSettings(1 << 24);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new PduDecoder(codec));
    public int cmdSn = 1;
    public int itt = 0x100;
    public long isid = 0x23d000000001L;

    public Initiator(EmbeddedChannel target) {
        this.target = target;
    }

    public void send(IscsiPdu pdu) {
        sendEncoded(pdu, null);
    }

    /**
     * Sends {@code pdu} with one bit flipped in the byte at {@code index} of its encoding
     * (negative: from the end, -1 = the last byte), e.g. to break a digest.
     */
    public void sendCorrupted(IscsiPdu pdu, int index) {
        sendEncoded(pdu, index);
    }

    private void sendEncoded(IscsiPdu pdu, Integer flip) {
        ByteBuf all = Pdus.encode(pdu, codec);
        if (flip != null) {
            int at = flip >= 0 ? flip : all.writerIndex() + flip;
            all.setByte(at, all.getByte(at) ^ 0x01);
        }
        target.writeInbound(all);
        target.runPendingTasks();
    }

    /** Switches the initiator side's digests (both directions), as after a login that negotiated them. */
    public void digests(boolean header, boolean data) {
        codec.headerDigest(header);
        codec.dataDigest(data);
    }

    /** Every PDU the target wrote since the last call. */
    public List<IscsiPdu> receive() {
        target.runPendingTasks();
        if (target.isOpen()) {
            target.flushOutbound(); // on a closed EmbeddedChannel this would record an exception
        }
        List<IscsiPdu> result = new ArrayList<>();
        ByteBuf b;
        while ((b = target.readOutbound()) != null) {
            decoder.writeInbound(b);
        }
        Object o;
        while ((o = decoder.readInbound()) != null) {
            IscsiPdu pdu = (IscsiPdu) o;
            // Tests keep PDUs without releasing them: hold their data on the (untracked) heap so
            // that leak detection reports only the target's own buffers.
            pdu.data(Unpooled.copiedBuffer(pdu.data()));
            result.add(pdu);
        }
        return result;
    }

    public IscsiPdu receiveOne() {
        List<IscsiPdu> pdus = receive();
        if (pdus.size() != 1) {
            throw new AssertionError("expected one PDU, got " + pdus);
        }
        return pdus.get(0);
    }

    /**
     * A login CSG=1 → FFP with the given keys; returns the final response. When the target offers
     * keys of its own (T=0 in the operational stage) they are accepted as offered and the request
     * to transit repeated, as an initiator that takes the target's limits does.
     */
    private static final List<String> TARGET_DECLARATIONS = List.of("TargetPortalGroupTag", "TargetAlias",
            "TargetAddress", "MaxRecvDataSegmentLength");

    public LoginResponsePdu login(TextParameters keys) {
        LoginResponsePdu response = loginStep(keys);
        for (int round = 0; round < 3 && response.status() == 0 && !response.transit(); round++) {
            TextParameters answers = new TextParameters();
            for (var pair : TextParameters.parse(response.data()).pairs()) {
                if (keys.get(pair.getKey()) == null && !TARGET_DECLARATIONS.contains(pair.getKey())) {
                    answers.add(pair.getKey(), pair.getValue()); // an offer of the target's
                }
            }
            response = loginStep(answers);
        }
        return response;
    }

    /** One Login Request CSG=1, T=1 → FFP with {@code keys}; the target's response. */
    public LoginResponsePdu loginStep(TextParameters keys) {
        send(Pdus.login(isid, itt++, cmdSn, keys));
        return (LoginResponsePdu) receiveOne();
    }

    public static TextParameters normalLogin(String target) {
        return new TextParameters().add("InitiatorName", "iqn.2026-11.test:initiator")
                .add("TargetName", target).add("SessionType", "Normal");
    }
}
