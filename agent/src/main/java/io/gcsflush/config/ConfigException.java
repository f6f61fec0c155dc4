package io.gcsflush.config;

/** A setting the agent cannot accept. The message is one line naming the setting, its value and where it came from. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        // Values are escaped where they are quoted; this is the last guard of the one line.
        super(ConfigText.oneLine(message));
    }
}
