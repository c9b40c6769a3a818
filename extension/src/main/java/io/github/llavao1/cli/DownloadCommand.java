package io.github.llavao1.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code download}: fetches a Hub model's checkpoint into the Hugging Face cache and prints its folder. */
final class DownloadCommand {

    static final String USAGE = """
            download --model-id ID [--revision R] [--cache-dir DIR] [--offline] [--hub-endpoint URL]
              Fetches only the files the engine reads (configs, tokenizer, safetensors shards) into the Hugging Face
              cache (resumed when interrupted, sha256-checked), prints the snapshot folder; progress on stderr.""";

    private static final Set<String> VALUED = Set.of("model-id", "revision", "cache-dir", "hub-endpoint");

    private DownloadCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = Args.parse(argv, 1, VALUED, ModelArgs.FLAGS);
        Path snapshot = ModelArgs.checkpoint(args, Main.progressToStderr());
        out.println(snapshot);
    }
}
