package io.github.llavao1.engine.config;

/**
 * A config file or value that cannot be used. {@link #key()} is the dotted JSON key at fault
 * ({@code text_config.num_key_value_heads}, {@code vision_config.supported_aspect_ratios[2]}; empty for the whole
 * file), and the message reads "config.json: text_config.num_key_value_heads (3) must divide num_attention_heads (4)".
 * A record's compact constructor names keys relative to its own JSON object; the binder that read the object adds
 * the path to it ({@link #under}), and the loader the file ({@link #in}).
 */
public final class ConfigException extends RuntimeException {

    private final String source;
    private final String key;
    private final String problem;

    /**
     * @param key the JSON key at fault, relative to the object being checked; empty for the object itself
     * @param problem what is wrong, as it follows the key: {@code " must be positive, got 0"}, {@code "[1] = 5 is
     *     outside …"}, or {@code ": …"} after an empty key
     */
    public ConfigException(String key, String problem) {
        this(null, key, problem, null);
    }

    ConfigException(String source, String key, String problem, Throwable cause) {
        super(cause);
        this.source = source;
        this.key = key;
        this.problem = problem;
    }

    /** The dotted JSON key at fault; empty when the problem is the file or object as a whole. */
    public String key() {
        return key;
    }

    /** The same problem with {@code path} (the key of the object the key belongs to) in front of the key. */
    ConfigException under(String path) {
        return withKey(path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key);
    }

    /** The same problem under another key (a layout's key for the one it was bound under). */
    ConfigException withKey(String newKey) {
        return new ConfigException(source, newKey, problem, getCause());
    }

    /** The same problem, naming the file (or other source) it was read from. */
    ConfigException in(String source) {
        return new ConfigException(source, key, problem, getCause());
    }

    @Override
    public String getMessage() {
        return (source == null ? "" : source + ": ") + key + problem;
    }
}
