package io.github.llavao1.engine.model;

import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.logging.Level;

/**
 * Which libtorch DJL's PyTorch engine will load, read before it loads from the same settings DJL reads
 * ({@code ai.djl.pytorch.jni.LibUtils}): {@code PYTORCH_LIBRARY_PATH} first, else a native jar on the classpath
 * ({@code native/lib/pytorch.properties}), else a download on first use. The project's default build bundles the
 * CPU jar ({@code ai.djl.pytorch:pytorch-native-cpu}); the Maven profile {@code cuda} leaves it out (README.md, GPU).
 *
 * @param kind where the native library comes from
 * @param detail the folder, the bundled version or the version DJL would download, for messages
 */
record NativeLibraries(Kind kind, String detail) {

    enum Kind {
        /** {@code PYTORCH_LIBRARY_PATH}: a local libtorch (CPU or CUDA), with its JNI next to it */
        LOCAL,
        /** DJL's CPU build of libtorch in a jar on the classpath: no GPU is possible */
        BUNDLED_CPU,
        /** DJL's CUDA build of libtorch in a jar on the classpath */
        BUNDLED_CUDA,
        /** no native jar and no local libtorch: DJL downloads libtorch matching the CUDA it detects */
        DOWNLOAD
    }

    static final String CPU_JAR = "ai.djl.pytorch:pytorch-native-cpu";

    /** What to do for a GPU, shared by every message that says a GPU cannot be used. */
    static final String GPU_HOWTO = "for a GPU, build without " + CPU_JAR + " (Maven profile -Pcuda, or exclude it from "
            + "your dependency) and either let DJL download CUDA natives on first use (network, DJL_OFFLINE unset) or set "
            + "PYTORCH_LIBRARY_PATH to a CUDA libtorch folder (with libtorch.so) that holds libdjl_torch.so built for that "
            + "libtorch, plus PYTORCH_VERSION and PYTORCH_FLAVOR (e.g. cu130); see README.md, section GPU";

    private static final String CUDA_LOGGER = "ai.djl.util.cuda.CudaUtils";
    /** j.u.l. holds loggers weakly: keep the one whose level is set. */
    private static java.util.logging.Logger quietedCudaLogger;

    /** The libraries DJL will load in this JVM, from its environment, system properties and classpath. */
    static NativeLibraries detect() {
        return detect(Utils::getEnvOrSystemProperty, bundledProperties());
    }

    /**
     * @param setting reads an environment variable or system property (null when unset)
     * @param bundled the first {@code native/lib/pytorch.properties} on the classpath, or null
     */
    static NativeLibraries detect(UnaryOperator<String> setting, Properties bundled) {
        String local = setting.apply("PYTORCH_LIBRARY_PATH");
        if (local != null && !local.isBlank()) {
            return new NativeLibraries(Kind.LOCAL, local);
        }
        String requested = setting.apply("PYTORCH_VERSION");
        if (bundled == null || bundled.getProperty("placeholder") != null) {
            return new NativeLibraries(Kind.DOWNLOAD, requested == null ? "(DJL's default version)" : requested);
        }
        String version = bundled.getProperty("version", "?");
        if (requested != null && !requested.isBlank() && !version.startsWith(requested)) {
            // DJL ignores the bundled jar then and downloads the requested version
            return new NativeLibraries(Kind.DOWNLOAD, requested);
        }
        boolean cuda = bundled.getProperty("flavor", "cpu").startsWith("cu");
        return new NativeLibraries(cuda ? Kind.BUNDLED_CUDA : Kind.BUNDLED_CPU, version);
    }

    private static Properties bundledProperties() {
        try {
            Enumeration<URL> urls = NativeLibraries.class.getClassLoader().getResources("native/lib/pytorch.properties");
            if (!urls.hasMoreElements()) {
                return null;
            }
            try (InputStream in = urls.nextElement().openStream()) {
                Properties properties = new Properties();
                properties.load(in);
                return properties;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read native/lib/pytorch.properties from the classpath", e);
        }
    }

    /** True when no GPU can be used whatever the machine has: the CPU build is the one DJL will load. */
    boolean cpuOnly() {
        return kind == Kind.BUNDLED_CPU;
    }

    /** Short description for the device line: where libtorch comes from. */
    String describe() {
        return switch (kind) {
            case LOCAL -> "libtorch from PYTORCH_LIBRARY_PATH=" + detail;
            case BUNDLED_CPU -> "the CPU build of libtorch " + detail + " on the classpath (" + CPU_JAR + ")";
            case BUNDLED_CUDA -> "a CUDA build of libtorch " + detail + " on the classpath";
            case DOWNLOAD -> "libtorch " + detail + " downloaded by DJL";
        };
    }

    /**
     * Fails before DJL loads anything when it could only fail later with a less helpful message: no native jar, no
     * local libtorch and DJL offline, so it would try (and fail) to download one.
     */
    void requireLoadable(boolean offline) {
        if (kind == Kind.DOWNLOAD && offline) {
            throw new IllegalStateException("no PyTorch native library: " + CPU_JAR + " is not on the classpath (built "
                    + "with -Pcuda?), PYTORCH_LIBRARY_PATH is not set and DJL is offline (DJL_OFFLINE / ai.djl.offline), so "
                    + "it cannot download libtorch " + detail + ". Set PYTORCH_LIBRARY_PATH to a libtorch folder holding a "
                    + "matching libdjl_torch.so (with PYTORCH_VERSION and PYTORCH_FLAVOR), or allow DJL to download");
        }
    }

    /**
     * DJL probes the CUDA runtime each time it detects a platform (four times while the tokenizer and the engine
     * load) and logs a WARN on a machine that has the CUDA runtime but no working driver. When the CPU build is what
     * loads, or the CPU was asked for, that probe cannot change anything: its logger is set to ERROR, for slf4j-simple
     * (before the logger exists) and for java.util.logging backends such as Quarkus' (any time). A level the user set
     * for that logger is kept. The device line in {@link DeviceSelection} says what was chosen and why instead.
     */
    static synchronized void quietCudaProbe() {
        String simpleLogger = "org.slf4j.simpleLogger.log." + CUDA_LOGGER;
        if (System.getProperty(simpleLogger) == null) {
            System.setProperty(simpleLogger, "error");
        }
        if (quietedCudaLogger == null) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CUDA_LOGGER);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.SEVERE);
            }
            quietedCudaLogger = logger;
        }
    }
}
