package org.confbridge.config;

import java.util.List;

/**
 * Limits per source address on what arrives from the network: guessing PINs and room numbers,
 * call rate and concurrent calls, and the sources exempt from them (trunks, a proxy in front).
 * All of them apply to new calls as soon as {@code bridge.properties} is reloaded.
 */
public record SecuritySettings(
        List<AddressBlock> trustedSources,
        int pinFailuresPerSource,
        int pinFailureWindowMinutes,
        int blockMinutes,
        int pinFailuresPerRoom,
        int callsPerSecondPerSource,
        int callBurstPerSource,
        int maxCallsPerSource,
        int maxCalls) {

    public static final SettingKey<List<AddressBlock>> TRUSTED_SOURCES = SettingKey.addressBlocks(
            "security.trustedSources", "",
            "comma-separated IP addresses or CIDR blocks exempt from the per-source limits (SIP trunks, a proxy in "
                    + "front: behind it the caller's address is taken from the proxy's Via)");
    public static final SettingKey<Integer> PIN_FAILURES_PER_SOURCE = SettingKey.integer(
            "security.pinFailuresPerSource", "10", 1, 1000,
            "wrong PINs or room numbers from one address within the window before its calls are refused");
    public static final SettingKey<Integer> PIN_FAILURE_WINDOW_MINUTES = SettingKey.integer(
            "security.pinFailureWindowMinutes", "15", 1, 1440, "the window those wrong entries are counted in");
    public static final SettingKey<Integer> BLOCK_MINUTES = SettingKey.integer(
            "security.blockMinutes", "15", 1, 10080, "how long a guessing address gets 403 for new calls");
    public static final SettingKey<Integer> PIN_FAILURES_PER_ROOM = SettingKey.integer(
            "security.pinFailuresPerRoom", "50", 1, 100000,
            "wrong PINs for one room from all addresses within the window that are reported as distributed guessing");
    public static final SettingKey<Integer> CALLS_PER_SECOND_PER_SOURCE = SettingKey.integer(
            "security.callsPerSecondPerSource", "5", 1, 10000,
            "new calls per second one address may start on average (beyond: 503 with Retry-After)");
    public static final SettingKey<Integer> CALL_BURST_PER_SOURCE = SettingKey.integer(
            "security.callBurstPerSource", "20", 1, 100000, "new calls one address may start at once");
    public static final SettingKey<Integer> MAX_CALLS_PER_SOURCE = SettingKey.integer(
            "security.maxCallsPerSource", "50", 1, 100000, "calls one address may have at the same time (beyond: 503)");
    public static final SettingKey<Integer> MAX_CALLS = SettingKey.integer(
            "sip.maxCalls", "4000", 1, 100000, "calls the bridge takes at the same time from all sources (beyond: 503)");

    /** The keys in README order. */
    public static final List<SettingKey<?>> KEYS = List.of(MAX_CALLS, TRUSTED_SOURCES, PIN_FAILURES_PER_SOURCE,
            PIN_FAILURE_WINDOW_MINUTES, BLOCK_MINUTES, PIN_FAILURES_PER_ROOM, CALLS_PER_SECOND_PER_SOURCE,
            CALL_BURST_PER_SOURCE, MAX_CALLS_PER_SOURCE);

    public SecuritySettings {
        trustedSources = List.copyOf(trustedSources);
    }

    static SecuritySettings from(KeyReader r) throws ConfigException {
        return new SecuritySettings(r.get(TRUSTED_SOURCES), r.get(PIN_FAILURES_PER_SOURCE),
                r.get(PIN_FAILURE_WINDOW_MINUTES), r.get(BLOCK_MINUTES), r.get(PIN_FAILURES_PER_ROOM),
                r.get(CALLS_PER_SECOND_PER_SOURCE), r.get(CALL_BURST_PER_SOURCE), r.get(MAX_CALLS_PER_SOURCE),
                r.get(MAX_CALLS));
    }
}
