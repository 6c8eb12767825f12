package org.confbridge.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialOutTargetsTest {
    private final DialOutTargets trunk = new DialOutTargets(
            () -> List.of("sip:+49*@trunk.example.com", "sip:*@pbx.example.com"));

    @Test
    void onlyTargetsAPatternNamesAreCalled() {
        trunk.check("sip:+4930123456@trunk.example.com");
        trunk.check("sip:200@PBX.example.com");
        assertThrows(SecurityException.class, () -> trunk.check("sip:+1555@trunk.example.com"), "another country");
        assertThrows(SecurityException.class, () -> trunk.check("sip:x@10.0.0.5:6379;transport=tcp"), "an internal port");
        assertThrows(SecurityException.class, () -> trunk.check("sip:200@pbx.example.com:6379"), "another port");
        assertThrows(SecurityException.class, () -> trunk.check("sip:200@pbx.example.com.evil.net"));
    }

    @Test
    void aStarNeverSpansTheAtSoAUserCannotPoseAsAHost() {
        assertThrows(IllegalArgumentException.class, () -> trunk.check("sip:a@evil.net;x=@pbx.example.com"));
        DialOutTargets anyUser = new DialOutTargets(() -> List.of("sip:*@pbx.example.com"));
        assertThrows(SecurityException.class, () -> anyUser.check("sip:evil.net@pbx.example.com.evil.net"));
    }

    @Test
    void nothingIsAllowedByDefaultAndOnlyPlainUrisAreTakenAtAll() {
        DialOutTargets none = new DialOutTargets(List::of);
        SecurityException off = assertThrows(SecurityException.class, () -> none.check("sip:200@pbx.example.com"));
        assertEquals("dial-out is off: dialout.allow names no target", off.getMessage());
        for (String bad : List.of("tel:+4930", "sip:200@pbx.example.com?Route=%3Csip:evil%3E", "sip:a b@h",
                "sip:x@h\r\nVia: forged", "sip:\"x\"@h", "sip:@h")) {
            assertThrows(IllegalArgumentException.class, () -> trunk.check(bad), bad);
        }
        assertEquals("::1", DialOutTargets.host("sip:x@[::1]:5060"));
        assertEquals("pbx.example.com", DialOutTargets.host("sip:x@pbx.example.com;transport=tcp"));
    }
}
