package org.confbridge.core.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomNumberEntryTest {
    private final List<String> log = new ArrayList<>();
    private final RoomNumberEntry entry = new RoomNumberEntry(Set.of("1000", "2000")::contains,
            new RoomNumberEntry.Effects() {
                @Override
                public void play(String... promptIds) {
                    log.add("play " + String.join("+", promptIds));
                }

                @Override
                public void stopPrompt() {
                    log.add("stop");
                }

                @Override
                public void roomChosen(String number) {
                    log.add("room " + number);
                }

                @Override
                public void wrongNumber(int attempt) {
                    log.add("wrong " + attempt);
                }

                @Override
                public void hangup(String reason) {
                    log.add("hangup");
                }
            }, 10_000, 3);

    private void type(String keys) {
        for (char c : keys.toCharArray()) {
            entry.key(c, 0);
        }
    }

    @Test
    void typeAheadKeepsThePinForTheRoom() {
        entry.start(0);
        type("1000#4711#");
        assertEquals(List.of("play enter-room", "stop", "room 1000"), log);
        assertEquals("4711#", entry.typeAhead());
        assertEquals("", entry.typeAhead(), "handed over once");
    }

    @Test
    void unknownRoomIsToldThenRetriedThenGoodbye() {
        entry.start(0);
        entry.promptFinished(1);
        type("9999#");
        assertEquals("wrong 1", log.get(1), "counted against the caller's address");
        assertEquals("play unknown-room+enter-room", log.get(2));
        entry.promptFinished(2);
        type("2000#");
        assertEquals("room 2000", log.get(3));

        RoomNumberEntry other = new RoomNumberEntry(Set.of("1000")::contains, new RoomNumberEntry.Effects() {
            @Override
            public void play(String... promptIds) {
                log.add("x-play " + String.join("+", promptIds));
            }

            @Override
            public void stopPrompt() {
            }

            @Override
            public void roomChosen(String number) {
                log.add("x-room");
            }

            @Override
            public void wrongNumber(int attempt) {
            }

            @Override
            public void hangup(String reason) {
                log.add("x-hangup");
            }
        }, 10_000, 3);
        other.start(0);
        for (int i = 0; i < 3; i++) {
            other.promptFinished(1);
            for (char c : "55#".toCharArray()) {
                other.key(c, 2);
            }
        }
        assertEquals(RoomNumberEntry.State.SAYING_GOODBYE, other.state());
        other.promptFinished(3);
        assertEquals("x-hangup", log.get(log.size() - 1));
        assertEquals("x-play unknown-room+goodbye", log.get(log.size() - 2));
    }

    @Test
    void silenceRepromptsThenHangsUp() {
        entry.start(0);
        entry.promptFinished(1000);
        entry.tick(11_000);
        assertEquals("play no-input+enter-room", log.get(1));
        entry.promptFinished(12_000);
        entry.tick(22_000);
        entry.promptFinished(23_000);
        assertEquals("hangup", log.get(log.size() - 1));
    }
}
