package io.gcsflush.command;

import static io.gcsflush.command.CommandInterpreterTest.OK;
import static io.gcsflush.command.CommandInterpreterTest.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.command.CommandInterpreterTest.Recorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EVAL through the interpreter: what a script's body does to its declared keys. The Redisson scripts are Redisson
 * 3.52.0's, as its objects send them.
 */
class LuaScriptTest {
    /** RedissonLock.tryLockInnerAsync: KEYS[1] the lock; ARGV lease time, lock name. */
    static final String LOCK = "if ((redis.call('exists', KEYS[1]) == 0) "
            + "or (redis.call('hexists', KEYS[1], ARGV[2]) == 1)) then "
            + "redis.call('hincrby', KEYS[1], ARGV[2], 1); "
            + "redis.call('pexpire', KEYS[1], ARGV[1]); "
            + "return nil; "
            + "end; "
            + "return redis.call('pttl', KEYS[1]);";
    /** RedissonLock.unlockInnerAsync: KEYS the lock, its channel, the unlock latch; ARGV message, lease, name, publish
     *  command, latch time. */
    static final String UNLOCK = "local val = redis.call('get', KEYS[3]); "
            + "if val ~= false then "
            + "return tonumber(val);"
            + "end; "
            + "if (redis.call('hexists', KEYS[1], ARGV[3]) == 0) then "
            + "return nil;"
            + "end; "
            + "local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1); "
            + "if (counter > 0) then "
            + "redis.call('pexpire', KEYS[1], ARGV[2]); "
            + "redis.call('set', KEYS[3], 0, 'px', ARGV[5]); "
            + "return 0; "
            + "else "
            + "redis.call('del', KEYS[1]); "
            + "redis.call(ARGV[4], KEYS[2], ARGV[1]); "
            + "redis.call('set', KEYS[3], 1, 'px', ARGV[5]); "
            + "return 1; "
            + "end; ";
    /** RedissonMap.putOperationAsync. */
    static final String MAP_PUT = "local v = redis.call('hget', KEYS[1], ARGV[1]); "
            + "redis.call('hset', KEYS[1], ARGV[1], ARGV[2]); "
            + "return v";
    /** RedissonBucket.getAndDeleteAsync. */
    static final String GET_AND_DELETE = "local currValue = redis.call('get', KEYS[1]); "
            + "redis.call('del', KEYS[1]); "
            + "return currValue; ";
    /** Redisson 4.7's LockTask: the watchdog extends the locks still held, many at a time. */
    static final String RENEW = "local result = {} "
            + "for i = 1, #KEYS, 1 do "
            + "if (redis.call('hexists', KEYS[i], ARGV[i + 1]) == 1) then "
            + "redis.call('pexpire', KEYS[i], ARGV[1]); "
            + "table.insert(result, 1); "
            + "else "
            + "table.insert(result, 0); "
            + "end; "
            + "end; "
            + "return result;";
    /** What Redisson evaluates once as it starts (ServiceManager: does the server take scripts with two keys?). */
    static final String PROBE = "redis.call('get', KEYS[1]) redis.call('get', KEYS[2])";

    private static List<String> eval(Recorder ops, String script, List<String> keys, String... argv) {
        List<String> args = new ArrayList<>();
        args.add(script);
        args.add(String.valueOf(keys.size()));
        args.addAll(keys);
        args.addAll(List.of(argv));
        return run(ops, OK, "EVAL", args.toArray(new String[0]));
    }

    private static List<String> eval(String script, List<String> keys, String... argv) {
        return eval(new Recorder(), script, keys, argv);
    }

    @Test
    void keysAScriptOnlyReadsAreNotWritten() {
        assertEquals(List.of(), eval(PROBE, List.of("test1", "test2")));
        assertEquals(List.of(), eval("return redis.call('get', KEYS[1])", List.of("k")));
    }

    @Test
    void whatAScriptAlwaysDoesIsApplied() {
        assertEquals(List.of("add m 8"), eval(MAP_PUT, List.of("m"), "field", "val"));
        assertEquals(List.of("delete b"), eval(GET_AND_DELETE, List.of("b")));
        assertEquals(List.of("replace k 7", "expire k +1000"),
                eval("redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])", List.of("k"), "v", "1000"));
        // An argument's call runs before the call it is an argument of.
        assertEquals(List.of("delete b", "add a 1"),
                eval("redis.call('hset', KEYS[1], 'f', redis.call('del', KEYS[2]))", List.of("a", "b")));
    }

    @Test
    void aLockIsNeverTakenForTheApplicationsDataAndItsUnlockForgetsIt() {
        // Taking the lock writes it only if no one else holds it: the agent cannot know, so it does not track it.
        assertEquals(List.of(), eval(LOCK, List.of("lock"), "30000", "id:1"));
        // Unless it tracks that key already (the application wrote it): then the lock's expiry is its expiry.
        Recorder ops = new Recorder();
        ops.tracked.put("lock", true);
        assertEquals(List.of("add lock 5", "expire lock +30000"), eval(ops, LOCK, List.of("lock"), "30000", "id:1"));
        // Unlocking may delete it: the agent forgets it. The channel is published to, the latch only maybe written.
        assertEquals(List.of("delete lock"), eval(UNLOCK,
                List.of("lock", "redisson_lock__channel:{lock}", "redisson_unlock_latch:{lock}:1"), "0", "30000",
                "id:1", "publish", "13500"));
    }

    @Test
    void aLoopOverTheKeysIsAConditionalCallOnEach() {
        // Renewing locks, one of which was unlocked meanwhile, must not make the agent take it up.
        assertEquals(List.of(), eval(RENEW, List.of("l1", "l2"), "30000", "id:1", "id:1"));
        Recorder ops = new Recorder();
        ops.tracked.put("l2", true);
        assertEquals(List.of("expire l2 +30000"), eval(ops, RENEW, List.of("l1", "l2"), "30000", "id:1", "id:1"));
        assertEquals(List.of("delete a", "delete b"),
                eval("for i = 1, #KEYS do redis.call('unlink', KEYS[i]) end", List.of("a", "b")));
        assertTrue(LuaScript.parse("for _, k in ipairs(KEYS) do redis.call('del', k) end").opaque());
    }

    @Test
    void aCallAfterAReturnThatMayHaveHappenedIsConditional() {
        assertEquals(List.of(), eval("if redis.call('exists', KEYS[1]) == 1 then return 0 end; "
                + "redis.call('set', KEYS[1], ARGV[1])", List.of("k"), "v"));
        assertEquals(List.of(), eval("local ok = redis.call('exists', KEYS[2]) == 0 or redis.call('set', KEYS[1], 1)",
                List.of("k", "j")), "the right of an or");
        assertEquals(List.of("replace k 1", "persist k"),
                eval("for i = 1, 3 do if i == 2 then break end end; redis.call('set', KEYS[1], ARGV[1])",
                        List.of("k"), "v"), "a break only leaves its loop");
        assertEquals(List.of(), eval("error('no'); redis.call('set', KEYS[1], ARGV[1])", List.of("k"), "v"));
    }

    @Test
    void theCommandMayComeFromTheArguments() {
        assertEquals(List.of(), eval("redis.call(ARGV[1], KEYS[1], 'm')", List.of("ch"), "publish"));
        assertEquals(List.of("replace k 1", "persist k"), eval("redis.call(ARGV[1], KEYS[1], 'm')", List.of("k"),
                "set"));
    }

    @Test
    void aLocalHoldingADeclaredKeyIsThatKey() {
        assertEquals(List.of("add m 2"), eval("local name = KEYS[1]; redis.call('hset', name, 'f', ARGV[1])",
                List.of("m"), "v"));
        assertEquals(List.of("add m 0"), eval("local name = KEYS[1]; name = 'x'; redis.call('hset', name, 'f', 'v')",
                List.of("m")), "assigned again: the script cannot be followed, its keys are taken as written");
    }

    @Test
    void keysTheScriptBuildsOrDoesNotDeclareAreNotTracked() {
        assertEquals(List.of(), eval("redis.call('set', 'fixed', ARGV[1])", List.of("k"), "v"));
        assertEquals(List.of(), eval("redis.call('set', KEYS[2], ARGV[1])", List.of("k"), "v"),
                "a key beyond those passed");
    }

    @Test
    void scriptsTheAgentCannotFollowTakeTheirKeysAsWritten() {
        assertEquals(List.of("add k 0"), eval("redis.call('set', KEYS[1] .. ':x', ARGV[1])", List.of("k"), "v"));
        assertEquals(List.of("add k 0"), eval("redis.call('set', KEYS[1]", List.of("k")), "not Lua");
        assertTrue(LuaScript.parse("return KEYS[1]").opaque());
        assertEquals(List.of("replace k 1", "persist k"), eval("return redis.call('set', KEYS[1], ARGV[1])",
                List.of("k"), "v"), "a return's value runs");
        assertFalse(LuaScript.parse("return #KEYS").opaque());
    }

    @Test
    void commentsAndStringsAreNotCode() {
        assertEquals(List.of(), eval("--[[ redis.call('set', KEYS[1], 'v') ]] -- redis.call('del', KEYS[1])\n"
                + "return \"redis.call('set', KEYS[1], 'v')\" .. [==[ ]] redis.call('del', KEYS[1]) ]==]",
                List.of("k")));
        assertEquals(List.of("replace k 4", "persist k"),
                eval("redis.call(\"set\", KEYS[1], 'it\\'s') -- done", List.of("k")));
    }

    @Test
    void theSameTextIsReadOnce() {
        byte[] text = MAP_PUT.getBytes(UTF_8);
        assertTrue(LuaScript.of(text) == LuaScript.of(MAP_PUT.getBytes(UTF_8)));
    }
}
