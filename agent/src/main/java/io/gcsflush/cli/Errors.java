package io.gcsflush.cli;

/** The one-line errors of the command line about reaching a JVM: each says what is wrong, and what to do. */
final class Errors {
    private Errors() {}

    static String noAttachModule(String javaHome) {
        return "this Java (" + javaHome + ") has no jdk.attach module, which the command line needs to reach a "
                + "JVM: run it with a JDK (11 or later), not a JRE or a jlink image without jdk.attach";
    }

    static String otherUser(long pid, String owner, String me) {
        return "process " + pid + " runs as user " + owner + ", and this command as " + me + ": the attach mechanism "
                + "only admits the JVM's own user; run it as " + owner + " (sudo -u " + owner + " java -jar "
                + "gcs-flush.jar ...)";
    }

    static String notAJvm(long pid) {
        return "process " + pid + " is not a JVM that this user can attach to (list shows those that run the agent; a "
                + "JVM started with -XX:-UsePerfData cannot be found)";
    }

    static String attachForbidden(long pid) {
        return "JVM " + pid + " does not allow attaching (started with -XX:+DisableAttachMechanism): restart it "
                + "without that option, or with -javaagent:gcs-flush.jar=... and -Dcom.sun.management.jmxremote.port "
                + "to reach its MBeans over JMX";
    }

    static String attachFailed(long pid, String why) {
        return "cannot attach to JVM " + pid + ": " + (why == null ? "no reason given" : why);
    }

    static String noAgent(long pid) {
        return "JVM " + pid + " does not run the gcs-flush agent; start it there with: java -jar gcs-flush.jar attach "
                + pid + " threshold=...";
    }

    static String noMbeans(long pid) {
        return "the gcs-flush agent in JVM " + pid + " has not published its MBeans (io.gcsflush:type=Agent) in the "
                + "platform MBean server; it may still be starting: try again in a moment";
    }
}
