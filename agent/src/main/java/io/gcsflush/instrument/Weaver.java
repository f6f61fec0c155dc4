package io.gcsflush.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves {@link Hook}s into a class file with ASM (as repackaged by Byte Buddy). Byte Buddy's {@code Advice} would do
 * the same, but loads some five hundred classes to do it, which costs an application most of a second at the moment
 * it first loads its Redis client; the hooks here are straight-line calls before each return and, where asked, one
 * catch-all handler that records and rethrows, so ASM's visitor is all they need.
 *
 * <p>The result never changes the class's shape (no member is added), so it is also valid for retransformation.
 * A class is woven only if every hook finds its method and fields: half an instrumentation would be worse than none.
 */
final class Weaver {
    private static final String BRIDGE = "io/gcsflush/bootstrap/Bridge";
    private static final String RECORD = "(ILjava/lang/Object;Ljava/lang/Object;)V";

    private Weaver() {}

    /** The woven class file, or null if a hook's method or field is missing (the reason goes to {@code problems}). */
    static byte[] weave(byte[] classFile, List<Hook> hooks, List<String> problems) {
        ClassReader reader = new ClassReader(classFile);
        Survey survey = new Survey();
        reader.accept(survey, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (Hook h : hooks) {
            if (!survey.methods.contains(h.method + h.descriptor)) problems.add("no method " + h);
            for (Hook.Value v : new Hook.Value[] {h.source, h.payload}) {
                if (v.kind == Hook.Value.Kind.FIELD && !survey.fields.containsKey(v.field)) problems.add("no field " + v.field);
            }
        }
        if (!problems.isEmpty()) return null;
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new Weaving(writer, hooks, survey), 0);
        return writer.toByteArray();
    }

    /** The methods and fields a class declares. */
    private static final class Survey extends ClassVisitor {
        final List<String> methods = new ArrayList<>();
        final Map<String, String> fields = new HashMap<>();
        String name;
        int version;

        Survey() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.version = version;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) fields.put(name, descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                methods.add(name + descriptor);
            }
            return null;
        }
    }

    private static final class Weaving extends ClassVisitor {
        private final List<Hook> hooks;
        private final Survey survey;

        Weaving(ClassVisitor next, List<Hook> hooks, Survey survey) {
            super(Opcodes.ASM9, next);
            this.hooks = hooks;
            this.survey = survey;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return mv;
            for (Hook h : hooks) {
                if (h.method.equals(name) && h.descriptor.equals(descriptor)) return new HookedMethod(mv, h, survey);
            }
            return mv;
        }
    }

    private static final class HookedMethod extends MethodVisitor {
        private final Hook hook;
        private final Survey survey;
        private final Type[] arguments;
        private final Label start = new Label();

        HookedMethod(MethodVisitor next, Hook hook, Survey survey) {
            super(Opcodes.ASM9, next);
            this.hook = hook;
            this.survey = survey;
            this.arguments = Type.getArgumentTypes(hook.descriptor);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (hook.onThrow) super.visitLabel(start);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) record(opcode == Opcodes.ARETURN);
            super.visitInsn(opcode);
        }

        /** Stack before: [..., value] if {@code valueOnStack}; after: unchanged. */
        private void record(boolean valueOnStack) {
            if (hook.payload.kind == Hook.Value.Kind.RETURNED) {
                if (valueOnStack) {
                    // [v] -> [v, v] -> [v, v, kind] -> [v, kind, v] -> [v, kind, v, source] -> [v, kind, source, v]
                    super.visitInsn(Opcodes.DUP);
                    push(hook.kind);
                    super.visitInsn(Opcodes.SWAP);
                    load(hook.source);
                    super.visitInsn(Opcodes.SWAP);
                } else {
                    push(hook.kind);
                    load(hook.source);
                    super.visitInsn(Opcodes.ACONST_NULL);
                }
            } else {
                push(hook.kind);
                load(hook.source);
                load(hook.payload);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "record", RECORD, false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (hook.onThrow) {
                Label end = new Label();
                Label handler = new Label();
                super.visitLabel(end);
                super.visitTryCatchBlock(start, end, handler, null);
                super.visitLabel(handler);
                if (survey.version >= Opcodes.V1_6) {
                    super.visitFrame(Opcodes.F_FULL, 1 + arguments.length, entryLocals(), 1,
                            new Object[] {"java/lang/Throwable"});
                }
                record(true);
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(maxStack, maxLocals);
        }

        /** The locals at method entry, which hold throughout: {@code this} and the arguments. */
        private Object[] entryLocals() {
            Object[] locals = new Object[1 + arguments.length];
            locals[0] = survey.name;
            for (int i = 0; i < arguments.length; i++) {
                switch (arguments[i].getSort()) {
                    case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT:
                        locals[i + 1] = Opcodes.INTEGER; break;
                    case Type.LONG: locals[i + 1] = Opcodes.LONG; break;
                    case Type.FLOAT: locals[i + 1] = Opcodes.FLOAT; break;
                    case Type.DOUBLE: locals[i + 1] = Opcodes.DOUBLE; break;
                    default: locals[i + 1] = arguments[i].getInternalName();
                }
            }
            return locals;
        }

        private void loadArgument(int index) {
            int slot = 1;
            for (int i = 0; i < index; i++) slot += arguments[i].getSize();
            if (arguments[index].getSort() < Type.ARRAY) throw new IllegalArgumentException("not an object: argument " + index);
            super.visitVarInsn(Opcodes.ALOAD, slot);
        }

        private void push(int value) {
            if (value >= -1 && value <= 5) super.visitInsn(Opcodes.ICONST_0 + value);
            else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) super.visitIntInsn(Opcodes.BIPUSH, value);
            else super.visitLdcInsn(value);
        }

        private void load(Hook.Value v) {
            switch (v.kind) {
                case THIS:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    return;
                case FIELD:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, survey.name, v.field, survey.fields.get(v.field));
                    return;
                case ARGUMENT:
                    loadArgument(v.index);
                    return;
                case ARGUMENTS:
                    // new Object[] {a, b}: straight-line code, like the rest.
                    push(2);
                    super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
                    super.visitInsn(Opcodes.DUP);
                    push(0);
                    loadArgument(v.index);
                    super.visitInsn(Opcodes.AASTORE);
                    super.visitInsn(Opcodes.DUP);
                    push(1);
                    loadArgument(v.second);
                    super.visitInsn(Opcodes.AASTORE);
                    return;
                default:
                    super.visitInsn(Opcodes.ACONST_NULL);
            }
        }
    }
}
