package io.gcsflush.command;

/** A command as sent: its arguments after the name, as bytes. Index 0 is the first argument. */
public interface CommandView {
    int argCount();

    /** The argument's bytes; callers must not change them. */
    byte[] arg(int index);
}
