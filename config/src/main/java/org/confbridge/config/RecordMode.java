package org.confbridge.config;

/** When a room writes {@code mix.wav}. */
public enum RecordMode {
    OFF("off"), ALWAYS("always"), ON_DEMAND("on-demand");

    private final String spelling;

    RecordMode(String spelling) {
        this.spelling = spelling;
    }

    /** The value as written in a room file. */
    public String spelling() {
        return spelling;
    }
}
