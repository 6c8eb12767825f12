package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DtmfInfoBodyTest {
    @Test
    void readsDtmfRelay() {
        assertEquals('5', DtmfInfoBody.parse("dtmf-relay", "Signal=5\r\nDuration=160\r\n"));
        assertEquals('#', DtmfInfoBody.parse("dtmf-relay", "Signal= #\nDuration=100"));
        assertEquals('*', DtmfInfoBody.parse("dtmf-relay", "signal=10\r\n"));
        assertEquals(0, DtmfInfoBody.parse("dtmf-relay", "Duration=160\r\n"));
    }

    @Test
    void readsPlainDtmf() {
        assertEquals('7', DtmfInfoBody.parse("dtmf", "7"));
        assertEquals('A', DtmfInfoBody.parse("DTMF", "a\r\n"));
        assertEquals(0, DtmfInfoBody.parse("dtmf", "hello"));
        assertEquals(0, DtmfInfoBody.parse("json", "5"));
    }
}
