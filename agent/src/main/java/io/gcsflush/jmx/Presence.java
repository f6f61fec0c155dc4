package io.gcsflush.jmx;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Tells the command line that this JVM runs the agent, without it having to start anything there:
 * <ul>
 *   <li>a performance counter {@value #COUNTER} (the agent's version), which {@code gcs-flush list} reads from the
 *       JVM's performance data, as {@code jps} and {@code jstat} do, without attaching to any JVM;</li>
 *   <li>a property {@value #PROPERTY} (the same) in the JVM's agent properties, where the JDK's own management agent
 *       publishes its local connector's address, and which an attach client reads with
 *       {@code VirtualMachine.getAgentProperties()}: the commands that attach check it first.</li>
 * </ul>
 * The application sees neither. Both are reached through the JDK's internal {@code Perf} and {@code VMSupport},
 * exported to the agent alone; where that is refused, the property is a system property instead, and the counter is
 * missing ({@code list} then attaches to find out).
 */
public final class Presence {
    public static final String PROPERTY = "io.gcsflush.agent";
    public static final String COUNTER = "gcsflush.agent.version";
    /** The counter's variability ({@code V_Constant}) and units ({@code U_String}), as jvmstat numbers them. */
    private static final int CONSTANT = 1;
    private static final int STRING = 5;

    private Presence() {}

    public static void publish(Instrumentation instrumentation, String version) {
        try {
            Class<?> support = Class.forName("jdk.internal.vm.VMSupport");
            instrumentation.redefineModule(support.getModule(), Set.of(),
                    Map.of("jdk.internal.vm", Set.of(Presence.class.getModule())), Map.of(), Set.of(), Map.of());
            Properties agentProperties = (Properties) support.getMethod("getAgentProperties").invoke(null);
            agentProperties.setProperty(PROPERTY, version);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.setProperty(PROPERTY, version);
        }
        try {
            Class<?> perf = Class.forName("jdk.internal.perf.Perf");
            instrumentation.redefineModule(perf.getModule(), Set.of(),
                    Map.of("jdk.internal.perf", Set.of(Presence.class.getModule())), Map.of(), Set.of(), Map.of());
            Object instance = perf.getMethod("getPerf").invoke(null);
            perf.getMethod("createString", String.class, int.class, int.class, String.class)
                    .invoke(instance, COUNTER, CONSTANT, STRING, version);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // No counter: list attaches to this JVM to ask.
        }
    }
}
