package io.github.llavao1.engine.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The Llama 3 byte-level BPE tokenizer of a checkpoint, read from its {@code tokenizer.json}. Encoding and decoding
 * run HuggingFace tokenizers (the Rust library behind transformers' fast tokenizer) through DJL's binding, so ids
 * match transformers exactly.
 *
 * <p>Behaves like transformers' {@code tokenizer(text, add_special_tokens=False)}: the post-processor's BOS is
 * never added here (the chat template writes {@code <|begin_of_text|>} itself; {@link PromptEncoder} adds the
 * second one LLaVA-o1 was trained with), special-token strings inside the text are recognised as single special
 * tokens, and nothing is truncated or padded. {@code tokenizer_config.json} is deliberately not read, so DJL cannot
 * apply a model_max_length truncation or transformers' clean-up of tokenization spaces: {@link #decode(int[])} is
 * the plain Rust decode. Needs no network: the native library ships inside the DJL jar.
 *
 * <p>{@link #encodeText(String)} is the encoding for text that comes from users (or from another model): there a
 * special-token string such as {@code <|eot_id|>} is ordinary text, tokenized by the BPE model like any other,
 * as transformers does with {@code split_special_tokens=True}. The Rust library offers no such switch through
 * DJL, so a second tokenizer is built from the same JSON without its {@code added_tokens}: Llama 3's special
 * tokens are all added tokens (none is in {@code model.vocab}), so it encodes their strings byte by byte.
 *
 * <p>Thread-safe; {@link StreamingDecoder}s are per stream.
 */
public final class LlamaTokenizer implements AutoCloseable {

    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    public static final String END_OF_TEXT = "<|end_of_text|>";
    public static final String START_HEADER = "<|start_header_id|>";
    public static final String END_HEADER = "<|end_header_id|>";
    public static final String END_OF_MESSAGE = "<|eom_id|>";
    public static final String END_OF_TURN = "<|eot_id|>";
    public static final String IMAGE = "<|image|>";

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer plainText;
    private final Map<String, Integer> tokenIds;
    private final int vocabularySize;
    private volatile boolean closed;

    private LlamaTokenizer(Path file, HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer plainText,
                           Map<String, Integer> tokenIds) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.plainText = plainText;
        this.tokenIds = tokenIds;
        int maxId = -1;
        for (int id : tokenIds.values()) {
            maxId = Math.max(maxId, id);
        }
        this.vocabularySize = maxId + 1;
    }

    /**
     * Loads {@code tokenizerJson} (a checkpoint's tokenizer.json). Throws {@link CheckpointException} naming the
     * file when it is missing, unreadable or not a tokenizer the library accepts.
     */
    public static LlamaTokenizer load(Path tokenizerJson) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        byte[] json;
        try {
            json = Files.readAllBytes(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(tokenizerJson + ": tokenizer file not found");
        } catch (IOException e) {
            throw new CheckpointException(tokenizerJson + ": cannot read tokenizer file: " + e, e);
        }
        Map<String, Integer> tokenIds = readTokenIds(tokenizerJson, json);
        HuggingFaceTokenizer tokenizer = newTokenizer(tokenizerJson, json);
        HuggingFaceTokenizer plainText;
        try {
            plainText = newTokenizer(tokenizerJson, withoutAddedTokens(tokenizerJson, json));
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        return new LlamaTokenizer(tokenizerJson, tokenizer, plainText, Map.copyOf(tokenIds));
    }

    private static HuggingFaceTokenizer newTokenizer(Path file, byte[] json) {
        try {
            // Passing the JSON as a stream (not the path) keeps DJL from also reading tokenizer_config.json.
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": not a valid HuggingFace tokenizer: " + e.getMessage(), e);
        }
    }

    /** The tokenizer JSON with an empty {@code added_tokens} list: the plain-text tokenizer's definition. */
    private static byte[] withoutAddedTokens(Path file, byte[] json) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = (ObjectNode) mapper.readTree(json);
            root.putArray("added_tokens");
            return mapper.writeValueAsBytes(root);
        } catch (IOException | ClassCastException e) {
            throw new CheckpointException(file + ": malformed tokenizer JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Token ids of {@code text}; special-token strings in it become their special ids; no BOS is added. Only for
     * trusted prompt strings: text from users goes through {@link #encodeText(String)}.
     */
    public int[] encode(String text) {
        return encode(tokenizer, text);
    }

    /**
     * Token ids of {@code text} as plain text: a special-token string in it (say {@code <|image|>}) is encoded as
     * the characters it is made of, never as the special token; no BOS is added.
     */
    public int[] encodeText(String text) {
        return encode(plainText, text);
    }

    private int[] encode(HuggingFaceTokenizer encoder, String text) {
        Objects.requireNonNull(text, "text");
        ensureOpen();
        long[] ids = encoder.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of {@code ids}, special tokens written out. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Text of {@code ids}; with {@code skipSpecialTokens} special tokens such as {@code <|eot_id|>} are left out. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        ensureOpen();
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            // The Rust decoder silently drops unknown ids; a wrong id must not vanish from the text unnoticed.
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary of " + file + " (0.." + (vocabularySize - 1) + ")");
            }
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, skipSpecialTokens);
    }

    /** Id of {@code token} (a vocabulary entry or an added/special token such as {@code <|eot_id|>}). */
    public int tokenId(String token) {
        OptionalInt id = findTokenId(token);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("token " + token + " is not in the vocabulary of " + file);
        }
        return id.getAsInt();
    }

    public OptionalInt findTokenId(String token) {
        Integer id = tokenIds.get(Objects.requireNonNull(token, "token"));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** One more than the largest token id (text vocabulary plus added tokens). */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** A decoder for one stream of generated ids, special tokens written out. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this, false);
    }

    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(this, skipSpecialTokens);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closed = true;
        tokenizer.close();
        plainText.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the tokenizer of " + file + " has been closed");
        }
    }

    /**
     * Token → id for the BPE vocabulary ({@code model.vocab}) and {@code added_tokens}, read with a streaming
     * parser so the merges list (most of the file) is skipped rather than built as a tree.
     */
    private static Map<String, Integer> readTokenIds(Path file, byte[] json) {
        Map<String, Integer> ids = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, file, "the top level");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if (field.equals("model") && value == JsonToken.START_OBJECT) {
                    readModelVocab(parser, file, ids);
                } else if (field.equals("added_tokens") && value == JsonToken.START_ARRAY) {
                    readAddedTokens(parser, file, ids);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(file + ": malformed tokenizer JSON: " + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            throw new CheckpointException(file + ": no model.vocab or added_tokens entries");
        }
        return ids;
    }

    private static void readModelVocab(JsonParser parser, Path file, Map<String, Integer> ids) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String token = parser.getCurrentName();
                    expect(parser.nextToken(), JsonToken.VALUE_NUMBER_INT, file, "model.vocab[\"" + token + "\"]");
                    ids.put(token, parser.getIntValue());
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readAddedTokens(JsonParser parser, Path file, Map<String, Integer> ids) throws IOException {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String content = null;
            Integer id = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if (field.equals("content") && value == JsonToken.VALUE_STRING) {
                    content = parser.getText();
                } else if (field.equals("id") && value == JsonToken.VALUE_NUMBER_INT) {
                    id = parser.getIntValue();
                } else {
                    parser.skipChildren();
                }
            }
            if (content == null || id == null) {
                throw new CheckpointException(file + ": an added_tokens entry lacks \"content\" or \"id\"");
            }
            ids.put(content, id);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, Path file, String where) {
        if (actual != expected) {
            throw new CheckpointException(file + ": expected " + expected + " at " + where + ", found " + actual);
        }
    }
}
