package io.gcsflush.log;

import io.gcsflush.Log;
import io.gcsflush.bootstrap.AppLogging;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the two places where the application's logging becomes ready into the application's classes, each a call to
 * {@link AppLogging} before the method returns: SLF4J's {@code LoggerFactory.getLogger(String)}, which every way of
 * getting an SLF4J logger goes through, in 1.7 and 2.x (once it has returned a logger to the application, SLF4J and the
 * backend behind it are configured: Logback as SLF4J binds it, Log4j as its first logger is made); and Spring Boot's
 * {@code LoggingApplicationListener.initialize}, after which Boot's own logging configuration is in force (before
 * it, Boot mutes the backend that SLF4J started with defaults).
 *
 * <p>Unlike the client hooks ({@code instrument/}), these go to a class of their own and one is in a static method;
 * the woven code is the same kind: it only loads a value and calls the bootstrap class, which never throws. A class is
 * woven only where its class loader finds that class, so that the call can always be linked.
 */
final class AppLoggingHooks implements ClassFileTransformer {
    private static final String APP_LOGGING = "io/gcsflush/bootstrap/AppLogging";

    /** A method to hook, and the {@link AppLogging} method it calls. */
    enum Target {
        SLF4J("org/slf4j/LoggerFactory", "getLogger", "(Ljava/lang/String;)Lorg/slf4j/Logger;", true,
                "loggerReturned"),
        SPRING_BOOT("org/springframework/boot/context/logging/LoggingApplicationListener", "initialize",
                "(Lorg/springframework/core/env/ConfigurableEnvironment;Ljava/lang/ClassLoader;)V", false,
                "springBootLoggingInitialized"),
        SPRING_BOOT_1("org/springframework/boot/logging/LoggingApplicationListener", "initialize",
                "(Lorg/springframework/core/env/ConfigurableEnvironment;Ljava/lang/ClassLoader;)V", false,
                "springBootLoggingInitialized");

        final String className;
        final String method;
        final String descriptor;
        /** Static: the returned value is passed on. Instance: {@code this} is. */
        final boolean isStatic;
        final String call;

        Target(String className, String method, String descriptor, boolean isStatic, String call) {
            this.className = className;
            this.method = method;
            this.descriptor = descriptor;
            this.isStatic = isStatic;
            this.call = call;
        }

        static Target of(String className) {
            for (Target t : values()) {
                if (t.className.equals(className)) return t;
            }
            return null;
        }
    }

    private final Instrumentation instrumentation;

    AppLoggingHooks(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) {
        if (className == null || loader == null || redefined != null) return null;
        Target target = Target.of(className);
        if (target == null) return null;
        try {
            if (!findsAppLogging(loader)) {
                Log.debug("not watching {}: its class loader {} does not see the agent's bootstrap classes",
                        className.replace('/', '.'), loader);
                return null;
            }
            byte[] woven = weave(bytes, target);
            if (woven == null) {
                Log.debug("not watching {}: it has no {}{}", className.replace('/', '.'), target.method,
                        target.descriptor);
                return null;
            }
            // A named module (slf4j-api 2.x on the module path) reads only what it declares.
            Module bootstrap = AppLogging.class.getModule();
            if (module != null && module.isNamed() && !module.canRead(bootstrap)) {
                instrumentation.redefineModule(module, Set.of(bootstrap), Map.of(), Map.of(), Set.of(), Map.of());
            }
            Log.debug("watching {} in {} for the application's logging to be ready", className.replace('/', '.'),
                    loader);
            return woven;
        } catch (Throwable t) {
            Log.debug("not watching {}: {}", className.replace('/', '.'), t.toString());
            return null;
        }
    }

    /** Whether code in this loader links {@code AppLogging} to the class the agent reads (not some other copy). */
    private static boolean findsAppLogging(ClassLoader loader) {
        try {
            return Class.forName(AppLogging.class.getName(), false, loader) == AppLogging.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The class with the call woven before each return of the target method, or null if it has no such method. */
    static byte[] weave(byte[] classFile, Target target) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean[] found = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
                if (!hasCode || isStatic != target.isStatic || !name.equals(target.method)
                        || !descriptor.equals(target.descriptor)) {
                    return next;
                }
                found[0] = true;
                return new MethodVisitor(Opcodes.ASM9, next) {
                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.ARETURN && target.isStatic) {
                            super.visitInsn(Opcodes.DUP); // [logger] -> [logger, logger]
                            call();
                        } else if (opcode == Opcodes.RETURN && !target.isStatic) {
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            call();
                        }
                        super.visitInsn(opcode);
                    }

                    private void call() {
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, APP_LOGGING, target.call, "(Ljava/lang/Object;)V",
                                false);
                    }
                };
            }
        }, 0);
        return found[0] ? writer.toByteArray() : null;
    }
}
