package io.gcsflush.cli;

import io.gcsflush.jmx.Presence;
import java.lang.reflect.Method;

/**
 * Reads the agent's performance counter ({@link Presence#COUNTER}) from a local JVM's performance data, as
 * {@code jstat} does: nothing is sent to the JVM. Through the JDK's internal jvmstat API ({@code jdk.internal.jvmstat}),
 * which the jar's manifest exports to the command line ({@code Add-Exports}); reached by reflection, since it is not an
 * API to compile against.
 */
final class PerfData {
    private PerfData() {}

    /** The version of the agent the JVM runs, null if none, {@link Jvms.Jvm#UNKNOWN} if its data cannot be read. */
    static String agentVersion(long pid) {
        Object vm = null;
        Method detach = null;
        try {
            Class<?> hostType = Class.forName("sun.jvmstat.monitor.MonitoredHost");
            Class<?> idType = Class.forName("sun.jvmstat.monitor.VmIdentifier");
            Class<?> vmType = Class.forName("sun.jvmstat.monitor.MonitoredVm");
            Class<?> monitorType = Class.forName("sun.jvmstat.monitor.Monitor");
            Object id = idType.getConstructor(String.class).newInstance("//" + pid + "?mode=r");
            Object host = hostType.getMethod("getMonitoredHost", idType).invoke(null, id);
            vm = hostType.getMethod("getMonitoredVm", idType).invoke(host, id);
            detach = vmType.getMethod("detach");
            Object monitor = vmType.getMethod("findByName", String.class).invoke(vm, Presence.COUNTER);
            return monitor == null ? null : String.valueOf(monitorType.getMethod("getValue").invoke(monitor));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Jvms.Jvm.UNKNOWN;
        } finally {
            if (vm != null) {
                try {
                    detach.invoke(vm);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // Only a mapped file to let go of.
                }
            }
        }
    }
}
