package io.gcsflush.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.gcsflush.jmx.Presence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link Jvms} through the JDK's attach API ({@code jdk.attach}). Only a JVM that the attach mechanism lists is ever
 * attached to: attaching sends the process a SIGQUIT, which would end a process that is not a JVM.
 */
final class AttachJvms implements Jvms {

    @Override
    public List<Jvm> list() {
        List<Jvm> jvms = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid != self) jvms.add(new Jvm(pid, d.displayName(), PerfData.agentVersion(pid)));
        }
        return jvms;
    }

    @Override
    public Target attach(long pid) throws CliException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) throw new CliException("no process " + pid);
        if (pid == ProcessHandle.current().pid()) throw new CliException("process " + pid + " is this command itself");
        String owner = process.get().info().user().orElse(null);
        String me = System.getProperty("user.name");
        if (owner != null && me != null && !owner.equals(me)) {
            throw new CliException(Errors.otherUser(pid, owner, me));
        }
        boolean listed = false;
        for (VirtualMachineDescriptor d : VirtualMachine.list()) listed |= d.id().equals(Long.toString(pid));
        if (!listed) {
            throw new CliException(hasPerfData(pid, me) ? Errors.attachForbidden(pid) : Errors.notAJvm(pid));
        }
        try {
            return new Attached(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException e) {
            throw new CliException(Errors.attachFailed(pid, e.getMessage()));
        } catch (IOException e) {
            throw new CliException(Errors.attachFailed(pid, e.getMessage()));
        }
    }

    /**
     * Whether the process has published the performance data every HotSpot JVM does (unless {@code -XX:-UsePerfData}):
     * a JVM that has, and that the attach mechanism does not list, refuses to be attached to.
     */
    private static boolean hasPerfData(long pid, String user) {
        String tmp = System.getProperty("java.io.tmpdir", "/tmp");
        for (Path dir : List.of(Paths.get(tmp), Paths.get("/proc", Long.toString(pid), "root", "tmp"))) {
            if (Files.exists(dir.resolve("hsperfdata_" + user).resolve(Long.toString(pid)))) return true;
        }
        return false;
    }

    private static final class Attached implements Target {
        private final long pid;
        private final VirtualMachine vm;

        Attached(long pid, VirtualMachine vm) {
            this.pid = pid;
            this.vm = vm;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public String agentVersion() throws CliException {
            try {
                Properties agent = vm.getAgentProperties();
                String version = agent.getProperty(Presence.PROPERTY);
                return version != null ? version : vm.getSystemProperties().getProperty(Presence.PROPERTY);
            } catch (IOException e) {
                throw new CliException("cannot read the properties of JVM " + pid + ": " + e.getMessage());
            }
        }

        @Override
        public String localConnectorAddress() throws CliException {
            try {
                return vm.startLocalManagementAgent();
            } catch (IOException e) {
                throw new CliException("cannot start the local JMX connector of JVM " + pid + ": " + e.getMessage());
            }
        }

        @Override
        public void loadAgent(String jar, String argument) throws CliException {
            try {
                vm.loadAgent(jar, argument);
            } catch (AgentLoadException e) {
                throw new CliException("JVM " + pid + " could not load " + jar + ": " + e.getMessage());
            } catch (AgentInitializationException e) {
                throw new CliException("the agent failed to start in JVM " + pid + " (see its standard error): "
                        + e.getMessage());
            } catch (IOException e) {
                throw new CliException("cannot load the agent into JVM " + pid + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                vm.detach();
            } catch (IOException e) {
                // It is gone: nothing to let go of.
            }
        }
    }
}
