package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what torch.jit.save produces, minus tensors) from TorchScript source, so libtorch
 * compiles the project's own model code on load without Python: a zip holding {@code archive/version},
 * {@code archive/byteorder}, the module object as a protocol-2 pickle in {@code archive/data.pkl} (an instance of
 * {@code __torch__.<ClassName>} whose state is a dict of attributes), an empty {@code archive/constants.pkl} and the
 * source in {@code archive/code/__torch__.py}. Entries are stored uncompressed.
 */
final class TorchScriptArchive {

    /** The file format version written; 1 to 10 are readable by libtorch 2.x, below 4 old operator semantics apply. */
    private static final String VERSION = "8";

    /**
     * Threads that turned libtorch's profiling graph executor off (a thread-local libtorch setting): it re-profiles and
     * recompiles the graph for new shapes, which costs seconds, and found nothing to fuse on the CPU.
     */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTOR = ThreadLocal.withInitial(() -> {
        JniUtils.setGraphExecutorOptimize(Boolean.getBoolean("llava.o1.script.optimize"));
        return true;
    });

    private TorchScriptArchive() {
    }

    /** Before running a scripted method on this thread: libtorch's plain graph executor (see {@link #PLAIN_EXECUTOR}). */
    static void usePlainExecutor() {
        PLAIN_EXECUTOR.get();
    }

    /**
     * Compiles the TorchScript source {@code sourceName} (a resource next to {@code owner}) with class
     * {@code className} and {@code attributes} (see {@link #write}) into a module owned by {@code context}'s manager.
     */
    static PtSymbolBlock compile(ComputeContext context, Class<?> owner, String sourceName, String className,
                                 Map<String, Object> attributes) {
        byte[] archive = write(className, source(owner, sourceName), attributes);
        try {
            return JniUtils.loadModule((PtNDManager) context.manager(), new ByteArrayInputStream(archive), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TorchScript {@code List[Tensor]} of {@code tensors}, to pass to every call (closed by the caller). */
    static IValue tensorList(List<NDArray> tensors) {
        return IValue.listFrom(tensors.stream().map(t -> (PtNDArray) t).toArray(PtNDArray[]::new));
    }

    /** Names the entries of a list the script receives: attribute {@code prefix + name} → the name's index in {@code names}. */
    static void putIndices(Map<String, Object> attributes, String prefix, Collection<String> names) {
        int index = 0;
        for (String name : names) {
            attributes.put(prefix + name, index++);
        }
    }

    /** A TorchScript {@code List[List[Tensor]]} of {@code lists} (at least one), to pass to every call (closed by the caller). */
    static IValue tensorLists(List<List<NDArray>> lists) {
        IValue[] inner = lists.stream().map(TorchScriptArchive::tensorList).toArray(IValue[]::new);
        try {
            return IValue.listFrom(inner);
        } finally {
            for (IValue list : inner) {
                list.close();
            }
        }
    }

    /**
     * A TorchScript {@code List[List[Tensor]]} of {@code weights}: each entry the list of its tensors (one, or a quantized
     * weight's values and scales), to pass to every call (closed by the caller).
     */
    static IValue weightList(List<Weight> weights) {
        return tensorLists(weights.stream().map(Weight::tensors).toList());
    }

    /** A TorchScript {@code List[List[List[Tensor]]]}: per layer its {@link #weightList}, to pass to every call (closed by the caller). */
    static IValue weightLists(List<List<Weight>> layers) {
        IValue[] inner = layers.stream().map(TorchScriptArchive::weightList).toArray(IValue[]::new);
        try {
            return IValue.listFrom(inner);
        } finally {
            for (IValue list : inner) {
                list.close();
            }
        }
    }

    /** The TorchScript source {@code name}, a resource next to {@code owner}. */
    private static String source(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param className the module's class in {@code source}
     * @param attributes the module's attributes, declared with their types in the class: Boolean, Integer, Double,
     *     or lists of Integer or Double; {@code training} is added
     */
    static byte[] write(String className, String source, Map<String, Object> attributes) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            entry(out, "archive/version", (VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            entry(out, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            entry(out, "archive/data.pkl", modulePickle(className, attributes));
            entry(out, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            entry(out, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    private static void entry(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    /** PROTO 2, GLOBAL __torch__ ClassName, EMPTY_TUPLE, NEWOBJ, then the attribute dict BUILT into it, STOP. */
    private static byte[] modulePickle(String className, Map<String, Object> attributes) {
        Pickle p = new Pickle();
        p.raw(0x80, 2);
        p.raw('c');
        p.ascii("__torch__\n" + className + "\n");
        p.raw(')', 0x81, '}');
        p.string("training");
        p.raw(0x89, 's');
        for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
            p.string(attribute.getKey());
            p.value(attribute.getValue(), attribute.getKey());
            p.raw('s');
        }
        p.raw('b', '.');
        return p.bytes.toByteArray();
    }

    /** The few pickle opcodes a module's attributes need. */
    private static final class Pickle {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void raw(int... values) {
            for (int v : values) {
                bytes.write(v);
            }
        }

        void ascii(String text) {
            bytes.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        }

        /** BINUNICODE: 4-byte little-endian length, UTF-8. */
        void string(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            raw('X');
            bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
            bytes.writeBytes(utf8);
        }

        void value(Object value, String name) {
            if (value instanceof Boolean b) {
                raw(b ? 0x88 : 0x89);
            } else if (value instanceof Integer i) {
                // BININT: 4-byte little-endian signed
                raw('J');
                bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array());
            } else if (value instanceof Double d) {
                // BINFLOAT: 8-byte big-endian IEEE double
                raw('G');
                bytes.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
            } else if (value instanceof List<?> list) {
                // EMPTY_LIST, MARK, items, APPENDS
                raw(']', '(');
                for (Object item : list) {
                    value(item, name);
                }
                raw('e');
            } else {
                throw new IllegalArgumentException("attribute " + name + " has unsupported type " + value.getClass().getName());
            }
        }
    }
}
