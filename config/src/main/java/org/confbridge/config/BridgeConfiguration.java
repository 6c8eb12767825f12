package org.confbridge.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent view of the configuration: server settings, the rooms that loaded, and what went
 * wrong with the files that did not (each rejected file as a whole, with file, key and problem).
 *
 * @param warnings  non-fatal findings, e.g. unknown keys with a suggestion
 * @param rejected  room files that were refused; their rooms are absent from {@code rooms}
 */
public record BridgeConfiguration(
        BridgeSettings bridge,
        Map<String, RoomSettings> rooms,
        List<String> warnings,
        List<ConfigException> rejected) {

    public BridgeConfiguration {
        rooms = Map.copyOf(rooms);
        warnings = List.copyOf(warnings);
        rejected = List.copyOf(rejected);
    }

    public Optional<RoomSettings> room(String number) {
        return Optional.ofNullable(rooms.get(number));
    }
}
