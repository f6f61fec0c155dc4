package io.gcsflush.config;

/** A setting the agent cannot accept. The message is one line naming the setting, its value and where it came from. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
