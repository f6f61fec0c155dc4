package io.gcsflush.track;

import io.gcsflush.command.CommandView;
import java.util.Arrays;

/** A reusable {@link CommandView} that client readers fill with a command's arguments. */
public final class ArgsView implements CommandView {
    private byte[][] args = new byte[16][];
    private int count;

    public void clear() {
        Arrays.fill(args, 0, count, null);
        count = 0;
    }

    public void add(byte[] arg) {
        if (count == args.length) args = Arrays.copyOf(args, count * 2);
        args[count++] = arg;
    }

    @Override
    public int argCount() {
        return count;
    }

    @Override
    public byte[] arg(int index) {
        if (index >= count) throw new IndexOutOfBoundsException(index + " of " + count);
        return args[index];
    }
}
