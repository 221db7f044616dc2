package io.jtgt.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.testing.FakeRegistry;
import io.jtgt.iscsi.text.TextParameters;
import io.jtgt.scsi.config.TargetLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoginControllerTest {

    private static final String TARGET = "iqn.2026-11.test:disk";
    private static final String LIMITED = "iqn.2026-11.test:limited";
    private final FakeRegistry registry = new FakeRegistry()
            .add(TARGET, Map.of(5, List.of(0)), 8)
            .add("iqn.2026-11.test:elsewhere", Map.of(1, List.of(9)), 8)
            .add(LIMITED, Map.of(1, List.of(0)), 8,
                    new TargetLimits(16384, 65536, 16384, null, false, null, null, null, null, null, null, null));
    private final Set<Integer> live = new HashSet<>();
    private final SessionDirectory sessions = new SessionDirectory() {
        private int next = 1;

        @Override
        public boolean exists(int tsih) {
            return live.contains(tsih);
        }

        @Override
        public boolean belongsTo(int tsih, String initiatorName, long isid) {
            return live.contains(tsih);
        }

        @Override
        public int allocateTsih() {
            return next++;
        }
    };
    private final LoginController login = new LoginController(new LoginContext(registry,
            new ParameterTable(TransportSettings.defaults(), List.of("None")), new NoAuthentication(), sessions, 0, 128));

    private static LoginRequestPdu request(int csg, int nsg, boolean transit, TextParameters keys) {
        LoginRequestPdu pdu = new LoginRequestPdu();
        pdu.transit(transit);
        pdu.stages(csg, nsg);
        pdu.isid(0x400001370000L);
        pdu.initiatorTaskTag(1);
        pdu.cmdSn(10);
        pdu.expStatSn(0);
        pdu.data(keys.encode());
        return pdu;
    }

    private static TextParameters identity() {
        return new TextParameters().add("InitiatorName", "iqn.2026-11.test:init").add("TargetName", TARGET);
    }

    private static TextParameters keys(LoginResponsePdu response) {
        return TextParameters.parse(response.data());
    }

    @Test
    void securityThenOperationalThenFullFeature() {
        LoginController.Step s1 = login.handle(request(0, 1, true, identity().add("AuthMethod", "CHAP,None")));
        assertEquals(LoginController.Outcome.CONTINUE, s1.outcome());
        LoginResponsePdu r1 = s1.response();
        assertEquals(LoginStatus.SUCCESS, r1.status());
        assertTrue(r1.transit());
        assertEquals(0, r1.currentStage());
        assertEquals(1, r1.nextStage());
        assertEquals("None", keys(r1).get("AuthMethod"));
        assertEquals("5", keys(r1).get("TargetPortalGroupTag"), "TPGT of the group holding portal 0");
        assertNull(keys(r1).get("MaxRecvDataSegmentLength"), "no operational keys in the security stage");
        assertEquals(0, r1.tsih());

        LoginController.Step s2 = login.handle(request(1, 3, true, new TextParameters()
                .add("MaxRecvDataSegmentLength", "8192").add("ImmediateData", "Yes").add("InitialR2T", "No")
                .add("MaxBurstLength", "262144").add("FirstBurstLength", "65536").add("HeaderDigest", "CRC32C,None")));
        assertEquals(LoginController.Outcome.COMPLETE, s2.outcome());
        LoginResponsePdu r2 = s2.response();
        assertTrue(r2.transit());
        assertEquals(1, r2.currentStage());
        assertEquals(3, r2.nextStage());
        assertNotEquals(0, r2.tsih(), "TSIH assigned in the final response");
        TextParameters k = keys(r2);
        assertEquals("Yes", k.get("ImmediateData"));
        assertEquals("No", k.get("InitialR2T"));
        assertEquals("None", k.get("HeaderDigest"));
        assertEquals("262144", k.get("MaxRecvDataSegmentLength"));
        assertEquals(r1.statSn() + 1, r2.statSn());
        assertEquals(10, r2.expCmdSn());
        assertEquals(10 + 127, r2.maxCmdSn());
        assertEquals(8192, login.negotiation().initiatorMaxRecvDataSegmentLength());
        assertEquals(TARGET, login.target().name());
        assertEquals(5, login.tpgt());
    }

    @Test
    void operationalStageMayComeFirstWithoutAuthentication() {
        LoginController.Step step = login.handle(request(1, 3, true, identity()));
        assertEquals(LoginController.Outcome.COMPLETE, step.outcome());
    }

    @Test
    void missingInitiatorNameIs0207() {
        LoginController.Step step = login.handle(request(0, 1, true, new TextParameters().add("TargetName", TARGET)));
        assertEquals(LoginController.Outcome.FAILED, step.outcome());
        assertEquals(LoginStatus.MISSING_PARAMETER, step.response().status());
    }

    @Test
    void missingTargetNameInNormalSessionIs0207() {
        LoginController.Step step = login.handle(request(0, 1, true, new TextParameters().add("InitiatorName", "iqn.x")));
        assertEquals(LoginStatus.MISSING_PARAMETER, step.response().status());
    }

    @Test
    void unknownTargetIs0203() {
        LoginController.Step step = login.handle(request(0, 1, true, new TextParameters()
                .add("InitiatorName", "iqn.x").add("TargetName", "iqn.2026-11.test:nope")));
        assertEquals(LoginStatus.NOT_FOUND, step.response().status());
    }

    @Test
    void targetNotInThisPortalsGroupsIs0203() {
        LoginController.Step step = login.handle(request(0, 1, true, new TextParameters()
                .add("InitiatorName", "iqn.x").add("TargetName", "iqn.2026-11.test:elsewhere")));
        assertEquals(LoginStatus.NOT_FOUND, step.response().status());
    }

    @Test
    void malformedTextIs0200() {
        LoginRequestPdu pdu = request(0, 1, true, new TextParameters());
        pdu.data("InitiatorName\0".getBytes());
        assertEquals(LoginStatus.INITIATOR_ERROR, login.handle(pdu).response().status());
    }

    @Test
    void invalidTransitionsAre0200() {
        assertEquals(LoginStatus.INITIATOR_ERROR, login.handle(request(1, 0, true, identity())).response().status());
        LoginController other = new LoginController(new LoginContext(registry,
                new ParameterTable(TransportSettings.defaults(), List.of("None")), new NoAuthentication(), sessions, 0, 128));
        LoginRequestPdu both = request(0, 1, true, identity());
        both.continueFlag(true);
        assertEquals(LoginStatus.INITIATOR_ERROR, other.handle(both).response().status());
    }

    @Test
    void unsupportedVersionIs0205() {
        LoginRequestPdu pdu = request(0, 1, true, identity());
        pdu.versions(2, 1);
        assertEquals(LoginStatus.UNSUPPORTED_VERSION, login.handle(pdu).response().status());
    }

    @Test
    void unacceptableAuthMethodFailsWith0201() {
        LoginController.Step step = login.handle(request(0, 1, true, identity().add("AuthMethod", "CHAP")));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status());
    }

    @Test
    void unknownSessionTypeIs0209AndUnknownTsihIs020a() {
        assertEquals(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, login.handle(request(0, 1, true,
                identity().add("SessionType", "Weird"))).response().status());
        LoginController other = new LoginController(new LoginContext(registry,
                new ParameterTable(TransportSettings.defaults(), List.of("None")), new NoAuthentication(), sessions, 0, 128));
        LoginRequestPdu pdu = request(0, 1, true, identity());
        pdu.tsih(77);
        assertEquals(LoginStatus.SESSION_DOES_NOT_EXIST, other.handle(pdu).response().status());
    }

    @Test
    void discoverySessionNeedsNoTarget() {
        LoginController.Step step = login.handle(request(1, 3, true, new TextParameters()
                .add("InitiatorName", "iqn.x").add("SessionType", "Discovery").add("MaxBurstLength", "4096")));
        assertEquals(LoginController.Outcome.COMPLETE, step.outcome());
        assertTrue(login.discovery());
        assertNull(login.target());
        TextParameters k = keys(step.response());
        assertEquals("Irrelevant", k.get("MaxBurstLength"));
        assertNull(k.get("TargetPortalGroupTag"));
    }

    @Test
    void continuedLoginTextIsJoined() {
        byte[] all = identity().add("ImmediateData", "No").encode();
        LoginRequestPdu first = request(1, 3, false, new TextParameters());
        first.continueFlag(true);
        first.data(java.util.Arrays.copyOfRange(all, 0, 20));
        LoginController.Step s1 = login.handle(first);
        assertEquals(LoginController.Outcome.CONTINUE, s1.outcome());
        assertFalse(s1.response().transit());
        assertEquals(0, s1.response().data().readableBytes());
        LoginRequestPdu second = request(1, 3, true, new TextParameters());
        second.data(java.util.Arrays.copyOfRange(all, 20, all.length));
        LoginController.Step s2 = login.handle(second);
        assertEquals(LoginController.Outcome.COMPLETE, s2.outcome());
        assertEquals("No", keys(s2.response()).get("ImmediateData"));
    }

    @Test
    void stayingInAStageKeepsTransitOff() {
        LoginController.Step step = login.handle(request(0, 1, false, identity().add("AuthMethod", "None")));
        assertEquals(LoginController.Outcome.CONTINUE, step.outcome());
        assertFalse(step.response().transit());
        assertEquals(LoginController.Outcome.COMPLETE,
                login.handle(request(0, 3, true, new TextParameters())).outcome());
    }

    @Test
    void aKeyOfferedTwiceInOneLoginIs0200() {
        LoginController.Step s1 = login.handle(request(1, 1, false, identity().add("MaxBurstLength", "65536")));
        assertEquals(LoginController.Outcome.CONTINUE, s1.outcome());
        LoginController.Step s2 = login.handle(request(1, 3, true, new TextParameters().add("MaxBurstLength", "8192")));
        assertEquals(LoginController.Outcome.FAILED, s2.outcome());
        assertEquals(LoginStatus.INITIATOR_ERROR, s2.response().status());
    }

    @Test
    void changingIdentityDuringLoginIs0200() {
        login.handle(request(1, 1, false, identity()));
        LoginRequestPdu other = request(1, 3, true, new TextParameters());
        other.isid(0x400001370001L);
        assertEquals(LoginStatus.INITIATOR_ERROR, login.handle(other).response().status(), "ISID changed");

        LoginController fresh = new LoginController(new LoginContext(registry,
                new ParameterTable(TransportSettings.defaults(), List.of("None")), new NoAuthentication(), sessions, 0, 128));
        fresh.handle(request(1, 1, false, identity()));
        LoginController.Step step = fresh.handle(request(1, 3, true, new TextParameters()
                .add("TargetName", "iqn.2026-11.test:elsewhere")));
        assertEquals(LoginStatus.INITIATOR_ERROR, step.response().status(), "TargetName changed");
    }

    @Test
    void repeatingTheSameDeclarationsIsTolerated() {
        login.handle(request(1, 1, false, identity()));
        assertEquals(LoginController.Outcome.COMPLETE, login.handle(request(1, 3, true, identity())).outcome());
    }

    @Test
    void securityKeysInTheOperationalStageAre0200() {
        LoginController.Step step = login.handle(request(1, 3, true, identity().add("AuthMethod", "None")));
        assertEquals(LoginStatus.INITIATOR_ERROR, step.response().status());
    }

    @Test
    void obsoleteMarkerKeysStillGetAnAnswer() {
        LoginController.Step step = login.handle(request(1, 3, true, identity().add("IFMarker", "No")
                .add("OFMarkInt", "2048~8192")));
        assertEquals(LoginController.Outcome.COMPLETE, step.outcome());
        assertEquals("No", keys(step.response()).get("IFMarker"));
        assertEquals("Reject", keys(step.response()).get("OFMarkInt"));
    }

    @Test
    void aTargetsOwnLimitsAreNegotiatedAndDefaultsBeyondThemAreOffered() {
        TextParameters first = new TextParameters().add("InitiatorName", "iqn.2026-11.test:init")
                .add("TargetName", LIMITED).add("MaxBurstLength", "1048576").add("InitialR2T", "No");
        LoginController.Step s1 = login.handle(request(1, 3, true, first));
        assertEquals(LoginController.Outcome.CONTINUE, s1.outcome());
        assertFalse(s1.response().transit(), "offers need answers: no T=1 with them (RFC 7143 11.13.3)");
        TextParameters k1 = keys(s1.response());
        assertEquals("65536", k1.get("MaxBurstLength"), "the initiator's offer answered with the target's limit");
        assertEquals("16384", k1.get("FirstBurstLength"), "the default 65536 is beyond the target's 16384: offered");
        assertEquals("No", k1.get("ImmediateData"), "the default Yes is beyond the target's No: offered");
        assertNull(k1.get("MaxOutstandingR2T"), "a default within the limits is not offered");
        assertEquals("16384", k1.get("MaxRecvDataSegmentLength"), "the target's own declaration");

        LoginController.Step s2 = login.handle(request(1, 3, true, new TextParameters()
                .add("FirstBurstLength", "8192").add("ImmediateData", "No")));
        assertEquals(LoginController.Outcome.COMPLETE, s2.outcome());
        assertEquals(List.of(), keys(s2.response()).pairs(), "answers are not answered");
        assertEquals(8192, login.negotiation().intValue("FirstBurstLength"));
        assertEquals(65536, login.negotiation().intValue("MaxBurstLength"));
        assertFalse(login.negotiation().boolValue("ImmediateData"));
        assertEquals(16384, login.settings().maxRecvDataSegmentLength(), "the decoder's limit after login");
    }

    @Test
    void anAnswerBeyondOurOfferOrNoAnswerFailsTheLogin() {
        for (TextParameters answers : List.of(
                new TextParameters().add("FirstBurstLength", "32768").add("ImmediateData", "No"),
                new TextParameters().add("FirstBurstLength", "8192").add("ImmediateData", "Yes"),
                new TextParameters().add("FirstBurstLength", "Reject").add("ImmediateData", "No"),
                new TextParameters().add("ImmediateData", "No"))) {
            LoginController fresh = new LoginController(new LoginContext(registry,
                    new ParameterTable(TransportSettings.defaults(), List.of("None")), new NoAuthentication(), sessions,
                    0, 128));
            assertEquals(LoginController.Outcome.CONTINUE, fresh.handle(request(1, 3, true, new TextParameters()
                    .add("InitiatorName", "iqn.2026-11.test:init").add("TargetName", LIMITED))).outcome());
            LoginController.Step step = fresh.handle(request(1, 3, true, answers));
            assertEquals(LoginController.Outcome.FAILED, step.outcome(), answers.pairs().toString());
            assertEquals(LoginStatus.INITIATOR_ERROR, step.response().status());
        }
    }

    @Test
    void aTargetWithoutLimitsOfItsOwnRunsUnderTheDaemons() {
        LoginController.Step step = login.handle(request(1, 3, true, identity()));
        assertEquals(LoginController.Outcome.COMPLETE, step.outcome());
        assertEquals("262144", keys(step.response()).get("MaxRecvDataSegmentLength"));
        assertEquals(TransportSettings.defaults(), login.settings());
    }
}
