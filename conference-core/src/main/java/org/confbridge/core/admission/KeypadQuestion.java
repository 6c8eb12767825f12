package org.confbridge.core.admission;

/**
 * One question asked by voice and answered on the keypad, the shape both the PIN and the dial-in
 * room number take: ask, collect digits up to {@code #} ({@code *} starts over; digits without
 * {@code #} count once the caller pauses), check the answer; a wrong answer is told and asked
 * again, after {@code maxAttempts} a goodbye; silence gets one reminder, then a goodbye; the call
 * hangs up once the goodbye has been heard. Keys typed while a prompt plays stop it (barge-in)
 * and count. The timeout starts when a prompt has been heard. Time comes in as arguments, so
 * tests step it. Not thread-safe: it runs on the caller's loop.
 */
final class KeypadQuestion {
    /** Where the question is. */
    enum State { ASKING, ANSWERED, SAYING_GOODBYE, DONE }

    /** The prompts of one question: asked, asked again after a wrong answer, said when giving up. */
    record Script(String[] question, String[] wrongAnswer, String[] giveUp, String wrongReason) {
    }

    /** Checks a typed (non-empty) answer; true when it is right, which ends the question. */
    interface Answer {
        boolean accept(String typed);
    }

    private static final int MAX_DIGITS = 20;

    private final Script script;
    private final CallerVoice voice;
    private final Answer answer;
    private final java.util.function.IntConsumer wrong;
    private final long timeoutMillis;
    private final int maxAttempts;
    private final StringBuilder typed = new StringBuilder();
    private State state = State.ASKING;
    private boolean promptPlaying;
    private long deadline = Long.MAX_VALUE;
    private int failures;
    private int silences;
    /** Why the goodbye is said when it is not the count of wrong answers or silence. */
    private String refusal;

    /** @param wrong told of each wrong answer, counted from 1 */
    KeypadQuestion(Script script, CallerVoice voice, Answer answer, java.util.function.IntConsumer wrong,
                   long timeoutMillis, int maxAttempts) {
        this.script = script;
        this.voice = voice;
        this.answer = answer;
        this.wrong = wrong;
        this.timeoutMillis = timeoutMillis;
        this.maxAttempts = maxAttempts;
    }

    State state() {
        return state;
    }

    void start() {
        ask(script.question());
    }

    /** A key press; ignored once the question is over. */
    void key(char key, long now) {
        if (state != State.ASKING) {
            return;
        }
        if (promptPlaying) {
            promptPlaying = false;
            voice.stopPrompt();
        }
        silences = 0;
        deadline = now + timeoutMillis;
        if (key == '#') {
            check();
        } else if (key == '*') {
            typed.setLength(0); // start over, as on most phone menus
        } else if (Character.isDigit(key) && typed.length() < MAX_DIGITS) {
            typed.append(key);
        }
    }

    void promptFinished(long now) {
        promptPlaying = false;
        if (state == State.SAYING_GOODBYE) {
            state = State.DONE;
            voice.hangup(refusal != null ? refusal
                    : failures >= maxAttempts ? script.wrongReason() + " " + failures + " times" : "no input");
        } else if (state == State.ASKING) {
            deadline = now + timeoutMillis;
        }
    }

    /** Called regularly; acts on input timeouts. */
    void tick(long now) {
        if (state != State.ASKING || promptPlaying || now < deadline) {
            return;
        }
        if (typed.length() > 0) {
            check(); // typed without '#': take what is there
        } else if (++silences >= 2) {
            goodbye("goodbye");
        } else {
            String[] reminder = new String[script.question().length + 1];
            reminder[0] = "no-input";
            System.arraycopy(script.question(), 0, reminder, 1, script.question().length);
            ask(reminder);
        }
    }

    private void check() {
        String typedAnswer = typed.toString();
        typed.setLength(0);
        if (typedAnswer.isEmpty()) {
            ask(script.question());
            return;
        }
        if (!voice.mayCheckEntry()) {
            refuse(); // entries typed once the source is blocked are never checked
            return;
        }
        state = State.ANSWERED; // before the listener acts: it may start what comes next
        boolean right;
        try {
            right = answer.accept(typedAnswer);
            if (!right) {
                failures++;
                wrong.accept(failures); // counted against the source before its check is given back
            }
        } finally {
            voice.entryChecked();
        }
        if (right) {
            return;
        }
        state = State.ASKING;
        if (failures >= maxAttempts) {
            goodbye(script.giveUp());
        } else {
            ask(script.wrongAnswer());
        }
    }

    /**
     * The caller's source is blocked for guessing: goodbye and hang-up, whatever was typed. Nothing
     * when the question is already over.
     */
    void refuse() {
        if (state == State.ASKING) {
            refusal = "source blocked for guessing";
            typed.setLength(0);
            goodbye("goodbye");
        }
    }

    private void ask(String... prompts) {
        promptPlaying = true;
        deadline = Long.MAX_VALUE;
        voice.play(prompts);
    }

    private void goodbye(String... prompts) {
        state = State.SAYING_GOODBYE;
        promptPlaying = true;
        voice.play(prompts);
    }
}
