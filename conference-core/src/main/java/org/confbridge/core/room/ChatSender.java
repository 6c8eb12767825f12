package org.confbridge.core.room;

import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SipCall;

/** What sends a room's chat message to one caller (the SIP gateway's MESSAGE). */
@FunctionalInterface
public interface ChatSender {
    void send(CallHandle to, String room, String writer, String text);
}
