package io.gcsflush.order;

import io.gcsflush.redis.RespConnection;

/** {@code dry-run=true}: picks the keys as a flush would, and leaves them alone. */
public final class DryRunAction implements KeyAction {
    @Override
    public Result apply(RespConnection connection, FlushBatch batch, Nodes nodes) {
        return new Result(batch.size());
    }

    @Override
    public boolean removes() {
        return false;
    }

    @Override
    public String verb() {
        return "would remove (dry run)";
    }
}
