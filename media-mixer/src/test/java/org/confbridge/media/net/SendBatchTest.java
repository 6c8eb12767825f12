package org.confbridge.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SendBatchTest {
    /** A room larger than the first buffer: packets written before the batch grew are still there. */
    @Test
    void growingKeepsThePacketsAlreadyWritten() {
        SendBatch batch = new SendBatch(null, null); // never posted here
        int[] at = new int[2000];
        for (int i = 0; i < at.length; i++) {
            at[i] = batch.reserve(null, null, 172);
            batch.buffer().setInt(at[i], i).setInt(at[i] + 168, ~i);
        }
        for (int i = 0; i < at.length; i++) {
            assertEquals(i * 172, at[i]);
            assertEquals(i, batch.buffer().getInt(at[i]));
            assertEquals(~i, batch.buffer().getInt(at[i] + 168));
        }
        batch.buffer().release();
    }
}
