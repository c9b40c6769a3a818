package io.github.llavao1.cli;

import io.github.llavao1.engine.LoadProgress;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.HubSettings;
import io.github.llavao1.hub.ModelDownloader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a command's checkpoint comes from: {@code --model DIR}, or {@code --model-id ID} (with {@code --revision},
 * {@code --cache-dir}, {@code --offline}, {@code --hub-endpoint}) fetched into the Hugging Face cache.
 */
final class ModelArgs {

    static final Set<String> VALUED = Set.of("model", "model-id", "revision", "cache-dir", "hub-endpoint");
    static final Set<String> FLAGS = Set.of("offline");
    static final String USAGE = """
              --model DIR       a checkpoint directory; or
              --model-id ID     a Hugging Face Hub model (e.g. Xkev/Llama-3.2V-11B-cot), fetched into the Hugging Face
                                cache unless it is there [--revision R (main)] [--cache-dir DIR] [--offline]
                                [--hub-endpoint URL]; HF_HOME, HF_HUB_CACHE, HF_TOKEN, HF_ENDPOINT, HF_HUB_OFFLINE apply""";

    private ModelArgs() {
    }

    /** The checkpoint directory, downloading it first for {@code --model-id}. */
    static Path checkpoint(Args args, Consumer<LoadProgress> progress) {
        if (args.has("model") == args.has("model-id")) {
            throw new Args.UsageException("give exactly one of --model DIR and --model-id ID");
        }
        if (args.has("model")) {
            return Path.of(args.string("model", null));
        }
        return downloader(args).fetch(hubModel(args), progress);
    }

    static HubModel hubModel(Args args) {
        try {
            return new HubModel(args.required("model-id"), args.string("revision", HubModel.DEFAULT_REVISION));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--" + e.getMessage().replaceFirst("^modelId", "model-id"));
        }
    }

    static ModelDownloader downloader(Args args) {
        HubSettings.Builder settings = HubSettings.builder().offline(args.flag("offline") ? true : null);
        if (args.has("cache-dir")) {
            settings.cacheDir(Path.of(args.string("cache-dir", null)));
        }
        if (args.has("hub-endpoint")) {
            settings.endpoint(URI.create(args.string("hub-endpoint", null)));
        }
        return new ModelDownloader(settings.build());
    }

    static Set<String> with(Set<String> own, Set<String> more) {
        java.util.Set<String> all = new java.util.HashSet<>(own);
        all.addAll(more);
        return Set.copyOf(all);
    }
}
