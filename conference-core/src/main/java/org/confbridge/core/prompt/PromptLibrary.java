package org.confbridge.core.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.audio.WavFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voice prompts per language and the room tones, loaded once at start and resampled to the
 * room rate. A prompt directory ({@code prompts.dir}) replaces built-in files one by one: what it
 * does not have comes from the built-in set, so admins can change just one sentence.
 */
public final class PromptLibrary {
    private static final Logger log = LoggerFactory.getLogger(PromptLibrary.class);
    public static final List<String> LANGUAGES = List.of("de", "en");
    public static final List<String> PROMPTS = prompts();

    private static List<String> prompts() {
        List<String> ids = new java.util.ArrayList<>(List.of("enter-pin", "invalid-pin", "no-input", "goodbye",
                "first-participant", "joined", "recording-notice", "room-locked", "removed", "conference-ending",
                "room-unlocked", "muted", "unmuted", "listen-only", "all-muted", "recording-stopped", "conference-full", "encryption-required", "dialout-confirm",
                "waiting-for-moderator", "help", "help-moderator", "count-many", "enter-room", "unknown-room"));
        for (int n = 1; n <= 20; n++) {
            ids.add("count-" + n);
        }
        return List.copyOf(ids);
    }

    private final Map<String, AudioClip> clips;
    private final Map<String, AudioClip> sequences = new ConcurrentHashMap<>();
    private final AudioClip joinTone;
    private final AudioClip leaveTone;
    private final AudioClip holdSound;

    private PromptLibrary(Map<String, AudioClip> clips, int rate) {
        this.clips = clips;
        int amplitude = 6000; // about -15 dBFS: audible under speech, never startling
        this.joinTone = AudioClip.concat("join-tone",
                AudioClip.tone("join-tone", rate, new double[] {660}, 120, amplitude),
                AudioClip.tone("join-tone", rate, new double[] {880}, 160, amplitude));
        // Waiting for the moderator: a soft two-note chime every three seconds, played in a loop.
        this.holdSound = AudioClip.concat("hold", AudioClip.tone("hold", rate, new double[] {523.3, 659.3}, 400, 3000),
                AudioClip.silence(rate, 2600));
        this.leaveTone = AudioClip.concat("leave-tone",
                AudioClip.tone("leave-tone", rate, new double[] {880}, 120, amplitude),
                AudioClip.tone("leave-tone", rate, new double[] {660}, 160, amplitude));
    }

    /**
     * Loads every prompt of every language.
     *
     * @param dir  the admin's prompt directory, or empty for the built-in set only
     * @throws IOException naming the file that is missing or unreadable
     */
    public static PromptLibrary load(String dir, int rate) throws IOException {
        Map<String, AudioClip> clips = new HashMap<>();
        int replaced = 0;
        for (String lang : LANGUAGES) {
            for (String id : PROMPTS) {
                String key = lang + "/" + id;
                AudioClip clip = null;
                if (dir != null && !dir.isBlank()) {
                    Path file = Path.of(dir, lang, id + ".wav");
                    if (Files.exists(file)) {
                        clip = WavFile.read(file);
                        replaced++;
                    }
                }
                if (clip == null) {
                    clip = builtIn(key);
                }
                clips.put(key, new AudioClip(id, toClipSamples(clip.resampledTo(rate)), rate));
            }
        }
        log.info("prompts: {} languages, {} prompts each{}", LANGUAGES.size(), PROMPTS.size(),
                replaced > 0 ? ", " + replaced + " from " + dir : " (built-in)");
        return new PromptLibrary(clips, rate);
    }

    private static AudioClip builtIn(String key) throws IOException {
        String resource = "/prompts/" + key + ".wav";
        try (InputStream in = PromptLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("built-in prompt " + resource + " missing from the jar");
            }
            return WavFile.parse(key, in.readAllBytes(), resource);
        }
    }

    private static short[] toClipSamples(AudioClip c) {
        short[] s = new short[c.length()];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.sample(i);
        }
        return s;
    }

    /** The prompts played one after the other, in the room's language (falling back to German). */
    public AudioClip sequence(String language, String... ids) {
        String lang = LANGUAGES.contains(language) ? language : "de";
        String key = lang + ":" + String.join("+", ids);
        return sequences.computeIfAbsent(key, k -> {
            AudioClip[] parts = new AudioClip[ids.length];
            for (int i = 0; i < ids.length; i++) {
                AudioClip c = clips.get(lang + "/" + ids[i]);
                if (c == null) {
                    throw new IllegalArgumentException("no prompt " + ids[i]);
                }
                parts[i] = c;
            }
            return parts.length == 1 ? parts[0] : AudioClip.concat(ids[ids.length - 1], parts);
        });
    }

    public AudioClip joinTone() {
        return joinTone;
    }

    public AudioClip leaveTone() {
        return leaveTone;
    }

    public AudioClip holdSound() {
        return holdSound;
    }
}
