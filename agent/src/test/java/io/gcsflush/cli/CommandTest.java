package io.gcsflush.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void readsEachCommand() throws CliException {
        assertEquals(Command.Name.HELP, Command.parse().name);
        assertEquals(Command.Name.HELP, Command.parse("--help").name);
        assertEquals(Command.Name.LIST, Command.parse("list").name);
        Command status = Command.parse("STATUS", "4242");
        assertEquals(Command.Name.STATUS, status.name);
        assertEquals(4242, status.pid);
        assertEquals(List.of("threshold=1g", "period=5s"), Command.parse("set", "4242", "threshold=1g", "period=5s").rest);
        assertEquals(List.of("127.0.0.1:6379"), Command.parse("flush", "4242", "127.0.0.1:6379").rest);
        assertEquals(List.of(), Command.parse("flush", "4242").rest);
        assertEquals(List.of(), Command.parse("attach", "4242").rest);
        assertEquals(List.of("threshold=1g,adopt=app:*"), Command.parse("attach", "4242", "threshold=1g,adopt=app:*").rest);
        // Words of an agent argument split by the shell are joined as the agent argument would have them.
        assertEquals(List.of("threshold=1g,period=1s"), Command.parse("attach", "4242", "threshold=1g", "period=1s").rest);
    }

    @Test
    void refusesWrongCommandLinesInOneLine() {
        assertEquals("unknown command 'stat'", usage("stat", "1"));
        assertEquals("status needs the process id of a JVM", usage("status"));
        assertEquals("not a process id: 'abc' (list shows those of the JVMs that run the agent)", usage("status", "abc"));
        assertEquals("not a process id: '-4' (list shows those of the JVMs that run the agent)", usage("pause", "-4"));
        assertEquals("not a process id: '0' (list shows those of the JVMs that run the agent)", usage("pause", "0"));
        assertEquals("set needs at least one SETTING=VALUE, such as threshold=1g", usage("set", "1"));
        assertEquals("expected SETTING=VALUE, such as threshold=1g, not 'threshold'", usage("set", "1", "threshold"));
        assertEquals("expected SETTING=VALUE, such as threshold=1g, not '=1g'", usage("set", "1", "=1g"));
        assertEquals("flush takes at most one server, HOST:PORT", usage("flush", "1", "a:1", "b:2"));
        assertEquals("pause takes only a process id, not 'now'", usage("pause", "1", "now"));
        assertEquals("list takes no arguments", usage("list", "1"));
        assertEquals("unknown command 'x?y'", usage("x\ny"));
    }

    private static String usage(String... args) {
        CliException e = assertThrows(CliException.class, () -> Command.parse(args));
        assertEquals(CliException.USAGE, e.exitCode());
        return e.getMessage();
    }
}
