package org.confbridge.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.confbridge.core.room.RoomDirectory;

/** The conference's meters: rooms, callers by state, admissions and PIN failures. Names declared here. */
public final class ConferenceMetrics implements MeterBinder {
    public static final String ROOMS_ACTIVE = "bridge.rooms.active";
    public static final String CALLERS = "bridge.callers";
    public static final String ADMISSIONS = "bridge.admissions";
    public static final String PIN_FAILURES = "bridge.pin.failures";

    private final RoomDirectory rooms;
    private Counter admitted;
    private Counter pinFailures;

    public ConferenceMetrics(RoomDirectory rooms) {
        this.rooms = rooms;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(ROOMS_ACTIVE, rooms, r -> r.openRooms().size()).description("rooms with a session in progress")
                .register(registry);
        Gauge.builder(CALLERS, rooms, r -> r.openRooms().stream().mapToInt(x -> x.lobby().size()).sum())
                .tag("state", "lobby").description("callers by state").register(registry);
        Gauge.builder(CALLERS, rooms, r -> r.openRooms().stream().mapToInt(x -> x.participants().size()).sum())
                .tag("state", "in-room").description("callers by state").register(registry);
        admitted = Counter.builder(ADMISSIONS).description("callers admitted to a room").register(registry);
        pinFailures = Counter.builder(PIN_FAILURES).description("wrong PINs typed").register(registry);
        rooms.onAdmitted(r -> admitted.increment());
        rooms.onPinFailed(r -> pinFailures.increment());
    }
}
