package org.confbridge.core.room;

import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.core.prompt.PromptLibrary;
import org.confbridge.core.session.SessionWriter;
import org.confbridge.media.MediaEngine;

/**
 * What every room uses and shares with the others: the media engine, prompts, the session
 * writer, the clock, the configuration, and the listeners told of admissions and wrong entries.
 * All of it is safe to use from any room's loop.
 */
record RoomServices(MediaEngine media, PromptLibrary prompts, SessionWriter sessions, Clock clock,
                    Supplier<BridgeConfiguration> config, Listeners listeners) {

    /** Who hears of a room's admissions and failures (metrics, per-source limits); set once at start. */
    static final class Listeners {
        volatile Consumer<Room> admitted = r -> { };
        volatile Consumer<Room> pinFailed = r -> { };
        /** Sends a chat message to a call's caller: (to, room, writer, text). */
        volatile ChatSender chat = (to, room, writer, text) -> { };
        /** Call id and room (or what was dialled) of each wrong PIN or room number. */
        volatile BiConsumer<String, String> wrongEntry = (callId, room) -> { };
        /** Per-source guessing limits, asked before each typed entry is checked. */
        volatile EntryChecks entryChecks = EntryChecks.UNLIMITED;
    }
}
