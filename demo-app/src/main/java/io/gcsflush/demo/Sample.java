package io.gcsflush.demo;

/** One reading, taken {@code seconds} after writing started. */
record Sample(double seconds, long entries, long usedMemory, long keys) {}
