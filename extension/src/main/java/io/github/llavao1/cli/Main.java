package io.github.llavao1.cli;

import java.io.PrintStream;

/**
 * Command-line entry point: {@code generate}, {@code reason}, {@code download}, {@code bench}, {@code reason-bench}
 * and {@code conformance}. Run it with the launcher script at the repository root,
 * {@code ./llava-o1 generate --model DIR ...}, after {@code ./mvnw -B -pl extension -am package -DskipTests}
 * (see README.md, section Command line).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // the CPU native library ships in a jar on the classpath: DJL must never try to download one
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "help" : args[0];
        try {
            switch (command) {
                case "generate" -> GenerateCommand.run(args, out);
                case "reason" -> ReasonCommand.run(args, out);
                case "download" -> DownloadCommand.run(args, out);
                case "bench" -> BenchCommand.run(args, out);
                case "reason-bench" -> ReasonBenchCommand.run(args, out);
                case "conformance" -> {
                    if (!ConformanceCommand.run(args, out)) {
                        return 3;
                    }
                }
                case "help", "--help", "-h" -> {
                    out.println(usage());
                    return 0;
                }
                default -> throw new Args.UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (Args.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(usage());
            return 2;
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Load progress on stderr: at most every two seconds, when a shard completes and when done. */
    static java.util.function.Consumer<io.github.llavao1.engine.LoadProgress> progressToStderr() {
        return new java.util.function.Consumer<>() {
            private long last;
            private int shards = -1;

            @Override
            public void accept(io.github.llavao1.engine.LoadProgress p) {
                long now = System.nanoTime();
                if (p.shardsDone() != shards || now - last > 2_000_000_000L || p.done()) {
                    System.err.println(p.phase() == io.github.llavao1.engine.LoadProgress.Phase.DOWNLOADING
                            ? "[download] " + p : "[load] " + p);
                    last = now;
                    shards = p.shardsDone();
                }
            }
        };
    }

    static String usage() {
        return "usage: llava-o1 <command> [options]\n\n" + GenerateCommand.USAGE + "\n\n" + ReasonCommand.USAGE + "\n\n"
                + DownloadCommand.USAGE + "\n\n" + "generate and reason take their checkpoint as\n" + ModelArgs.USAGE + "\n\n"
                + BenchCommand.USAGE + "\n\n" + ReasonBenchCommand.USAGE + "\n\n" + ConformanceCommand.USAGE;
    }
}
