package io.github.llavao1.engine.testing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.SafetensorsWriter;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightSpec;
import io.github.llavao1.engine.config.MllamaConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A tiny Mllama checkpoint whose text behaviour is fixed by construction, not by training or by a seed: its weights are
 * set so that the model writes LLaVA-o1's staged format, answers the judge and the pre-check with parseable verdicts,
 * and branches between two near-equal tokens at a few places so that sampled candidates differ under different seeds.
 * Every other choice is decided by a logit margin of at least 30 (in a float32 model whose logits carry errors of about
 * 1e-5), so no CPU, thread count or BLAS can change a token, and nor can a relative perturbation of the weights of
 * 1e-4. See FIXTURES.md ("constructed") for how it works.
 *
 * <p>In short: the text model is a bigram model with three modes. Each token that has a scripted successor embeds as
 * its own unit vector (plus a constant unit), and {@code lm_head} maps it to its successor. One self-attention layer
 * looks for marker tokens anywhere in the context, the reference's own typos "Repsonse" (only in judge prompts)
 * and " invovles" (only in the pre-check prompt), and the word " briefly"; it writes a flag per marker into the
 * residual stream. The first two switch {@code lm_head} to the judge's or the pre-check's script; the third makes the
 * answer end its turn right after {@code </CAPTION>}, for tests of an answer that ends before its conclusion. Every other layer and every cross-attention gate
 * is zero, so images change nothing. The vision tower has small random weights: it runs, its output is unused.
 */
public final class ConstructedCheckpoint {

    /** The answer to any question, as token strings; a two-element array is a branch point. */
    static final List<Object> ANSWER = List.of(
            "<SUMMARY>", " We", " will", " describe", " the", " image", " first.", "</SUMMARY>",
            "<CAPTION>", " It", " shows", new String[] {" red", " blue"}, " shapes", " on", " white.", "</CAPTION>",
            "<REASONING>", " Counting", " them", " gives", new String[] {" three", " four"}, " in", " all.", "</REASONING>",
            "<CONCLUSION>", " The", " picture", " holds", new String[] {" exactly", " roughly"}, " a", " few", " coloured",
            " figures,", " so", " count", " each", " one.", "</CONCLUSION>");
    /** The answer to a judge prompt (which holds "Repsonse"): a verdict the reference's test parses. */
    static final List<Object> JUDGE = List.of(
            "Since", " both", " are", " clear,", " I", " choose", " response", new String[] {" 1", " 2"}, ".");
    /** The answer to the REASONING pre-check prompt (which holds " invovles"). */
    static final List<Object> PRECHECK = List.of("The", " reasoning", " is", " correct.");

    /** The greedy answer: at every branch point the first token, which leads by a small deliberate margin. */
    public static final String GREEDY_ANSWER = greedy(ANSWER);
    public static final String GREEDY_JUDGE = greedy(JUDGE);
    public static final String GREEDY_PRECHECK = greedy(PRECHECK);
    /** The greedy answer to a question holding {@link #BRIEF_MARKER}: SUMMARY and CAPTION, then end of turn. */
    public static final String GREEDY_BRIEF_ANSWER = GREEDY_ANSWER.substring(0, GREEDY_ANSWER.indexOf("<REASONING>"));
    /** The conclusion's text inside its tags, greedy. */
    public static final String GREEDY_CONCLUSION = "The picture holds exactly a few coloured figures, so count each one.";
    /** Tokens in the answer after the assistant header, its closing tag included, end of turn excluded. */
    public static final int ANSWER_TOKENS = ANSWER.size();

    private static final String JUDGE_MARKER = "Repsonse";
    private static final String PRECHECK_MARKER = " invovles";
    /** In a question, ends the answer with end of turn right after its CAPTION. */
    public static final String BRIEF_MARKER = " briefly";
    private static final String END_OF_TURN = "<|eot_id|>";

    private static final int HIDDEN = 128;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = HIDDEN / HEADS;
    /** Residual dimensions: a constant 1, the three flags, "any other token", then one per token. */
    private static final int CONSTANT = 0;
    private static final int JUDGE_FLAG = 1;
    private static final int PRECHECK_FLAG = 2;
    private static final int BRIEF_FLAG = 3;
    private static final int OTHER = 4;
    private static final int FIRST_TOKEN_DIM = 5;
    /** lm_head weight of a scripted successor; ×8 (RMSNorm of a 2-hot vector in 128 dims) gives a logit of ~80. */
    private static final float LEAD = 10f;
    /** The second token of a branch point trails by this much (a logit difference of ~0.08: 52 % against 48 %). */
    private static final float BRANCH_GAP = 0.01f;
    /** Query × key at a marker: scores of ~30, so attention puts all but e^-22 of its weight on the markers. */
    private static final float MARKER_QK = 1.63f;
    /** The lowest-frequency rotary pair (index head_dim/2 - 1): it turns by 6e-7 rad per position, i.e. not at all. */
    private static final int SLOW_ROTARY_DIM = HEAD_DIM / 2 - 1;
    /** The next one (1.3e-6 rad per position): the brief marker's query and key, apart from the other two. */
    private static final int SLOW_ROTARY_DIM_2 = HEAD_DIM / 2 - 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConstructedCheckpoint() {
    }

    private static String greedy(List<Object> script) {
        StringBuilder text = new StringBuilder();
        for (Object step : script) {
            text.append(step instanceof String[] branch ? branch[0] : (String) step);
        }
        return text.toString();
    }

    /**
     * Writes the checkpoint into {@code dir}: config.json, generation_config.json, preprocessor_config.json and the
     * images copied from {@code tiny} (the tiny random checkpoint, whose vision configuration it shares), a
     * tokenizer.json extending tiny's, and model.safetensors.
     */
    public static Path write(Path tiny, Path dir) {
        try {
            Files.createDirectories(dir);
            for (String file : List.of("preprocessor_config.json", "square.png", "wide.png", "tall.png", "rgba.png")) {
                Files.copy(tiny.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Vocabulary vocabulary = Vocabulary.extend((ObjectNode) JSON.readTree(tiny.resolve("tokenizer.json").toFile()));
            Files.write(dir.resolve("tokenizer.json"), JSON.writeValueAsBytes(vocabulary.tokenizer));
            ObjectNode config = (ObjectNode) JSON.readTree(tiny.resolve("config.json").toFile());
            writeConfigs(config, vocabulary, dir);
            MllamaConfig parsed = MllamaConfig.load(dir.resolve("config.json"));
            Weights weights = new Weights(vocabulary, parsed.text().vocabSize());
            SafetensorsWriter writer = new SafetensorsWriter();
            for (WeightSpec spec : WeightNames.expectedTensors(parsed)) {
                writer.add(spec.name(), TensorDType.F32, spec.shape(), weights.values(spec));
            }
            writer.write(dir.resolve("model.safetensors"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeConfigs(ObjectNode config, Vocabulary vocabulary, Path dir) throws IOException {
        ObjectNode text = (ObjectNode) config.get("text_config");
        text.put("vocab_size", vocabulary.textVocabulary);
        text.put("hidden_size", HIDDEN);
        text.put("num_attention_heads", HEADS);
        text.put("num_key_value_heads", KV_HEADS);
        text.put("bos_token_id", vocabulary.id("<|begin_of_text|>"));
        text.put("pad_token_id", vocabulary.id("<|finetune_right_pad_id|>"));
        ArrayNode eos = text.putArray("eos_token_id");
        for (String token : List.of("<|end_of_text|>", "<|eom_id|>", END_OF_TURN)) {
            eos.add(vocabulary.id(token));
        }
        config.put("image_token_index", vocabulary.id("<|image|>"));
        Files.write(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        ObjectNode generation = JSON.createObjectNode();
        generation.put("bos_token_id", vocabulary.id("<|begin_of_text|>"));
        generation.set("eos_token_id", eos.deepCopy());
        generation.put("pad_token_id", vocabulary.id("<|finetune_right_pad_id|>"));
        generation.put("temperature", 0.6).put("top_p", 0.9);
        Files.write(dir.resolve("generation_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(generation));
    }

    /**
     * Tiny's tokenizer with the scripts' tokens added to the BPE vocabulary (before the special tokens, which move up
     * by as many ids) and merges that make each marker one token when a prompt is encoded. The scripts' other tokens
     * are only ever written by the model, so they need no merges: decoding reads the vocabulary.
     */
    static final class Vocabulary {
        final ObjectNode tokenizer;
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final int textVocabulary;

        private Vocabulary(ObjectNode tokenizer, int textVocabulary) {
            this.tokenizer = tokenizer;
            this.textVocabulary = textVocabulary;
        }

        int id(String token) {
            Integer id = ids.get(token.startsWith("<|") ? token : byteLevel(token));
            if (id == null) {
                throw new IllegalArgumentException("no token " + token);
            }
            return id;
        }

        static Vocabulary extend(ObjectNode tokenizer) throws IOException {
            ObjectNode model = (ObjectNode) tokenizer.get("model");
            ObjectNode vocab = (ObjectNode) model.get("vocab");
            ArrayNode merges = (ArrayNode) model.get("merges");
            Set<String> added = new LinkedHashSet<>();
            for (List<Object> script : List.of(ANSWER, JUDGE, PRECHECK)) {
                for (Object step : script) {
                    for (String token : step instanceof String[] branch ? branch : new String[] {(String) step}) {
                        added.add(byteLevel(token));
                    }
                }
            }
            int next = vocab.size();
            for (String marker : List.of(JUDGE_MARKER, PRECHECK_MARKER, BRIEF_MARKER)) {
                List<String> pieces = pieces(tokenizer, marker);
                String merged = pieces.get(0);
                for (String piece : pieces.subList(1, pieces.size())) {
                    merges.add(JSON.createArrayNode().add(merged).add(piece));
                    merged = merged + piece;
                    if (!vocab.has(merged)) {
                        vocab.put(merged, next++);
                    }
                }
            }
            for (String token : added) {
                if (!vocab.has(token)) {
                    vocab.put(token, next++);
                }
            }
            ArrayNode specials = (ArrayNode) tokenizer.get("added_tokens");
            for (JsonNode special : specials) {
                ((ObjectNode) special).put("id", next++);
            }
            Vocabulary vocabulary = new Vocabulary(tokenizer, next - 1);
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                vocabulary.ids.put(entry.getKey(), entry.getValue().asInt());
            }
            for (JsonNode special : specials) {
                vocabulary.ids.put(special.get("content").asText(), special.get("id").asInt());
            }
            if (!vocabulary.ids.containsKey("<|image|>") || vocabulary.id("<|image|>") != next - 1) {
                throw new IllegalStateException("tiny's tokenizer must end with <|image|>");
            }
            rewritePostProcessor(tokenizer, vocabulary.id("<|begin_of_text|>"));
            return vocabulary;
        }

        /** The BPE pieces tiny's tokenizer splits {@code word} into. */
        private static List<String> pieces(ObjectNode tokenizer, String word) throws IOException {
            ObjectNode plain = tokenizer.deepCopy();
            plain.putArray("added_tokens");
            try (HuggingFaceTokenizer bpe = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(JSON.writeValueAsBytes(plain)), Map.of("addSpecialTokens", "false"))) {
                return Arrays.asList(bpe.encode(word, false, false).getTokens());
            }
        }

        private static void rewritePostProcessor(ObjectNode tokenizer, int bos) {
            JsonNode special = tokenizer.path("post_processor").path("special_tokens").path("<|begin_of_text|>");
            if (special instanceof ObjectNode node) {
                node.putArray("ids").add(IntNode.valueOf(bos));
            }
        }

        /** GPT-2's byte-level alphabet for the ASCII these scripts use: a space is written "Ġ". */
        static String byteLevel(String token) {
            return token.replace(' ', 'Ġ');
        }
    }

    /** The tensors: the text model as described in the class comment, the vision tower random. */
    private static final class Weights {
        private final Map<Integer, Integer> tokenDims = new LinkedHashMap<>();
        /** lm_head rows: token id → weights over the residual dimensions. */
        private final Map<Integer, float[]> head = new LinkedHashMap<>();
        private final int vocabSize;
        private final int judgeMarker;
        private final int precheckMarker;
        private final int briefMarker;

        Weights(Vocabulary vocabulary, int vocabSize) {
            this.vocabSize = vocabSize;
            this.judgeMarker = vocabulary.id(JUDGE_MARKER);
            this.precheckMarker = vocabulary.id(PRECHECK_MARKER);
            this.briefMarker = vocabulary.id(BRIEF_MARKER);
            int endOfHeader = vocabulary.id("Ċ");
            // each mode's script starts after the assistant header's last token ("\n\n" is two "Ċ" here)
            script(vocabulary, ANSWER, endOfHeader, new float[] {0, -LEAD, -LEAD});
            script(vocabulary, JUDGE, endOfHeader, new float[] {-LEAD, LEAD, -LEAD});
            script(vocabulary, PRECHECK, endOfHeader, new float[] {-LEAD, -LEAD, LEAD});
            // a brief answer: after </CAPTION> the brief flag pushes <REASONING> below end of turn, which trails it by
            // half a lead otherwise
            head.get(vocabulary.id("<REASONING>"))[BRIEF_FLAG] = -2 * LEAD;
            head.get(vocabulary.id(END_OF_TURN))[dim(vocabulary.id("</CAPTION>"))] = LEAD / 2;
            for (int marker : List.of(judgeMarker, precheckMarker, briefMarker)) {
                head.get(vocabulary.id(END_OF_TURN))[dim(marker)] = LEAD;
            }
            if (FIRST_TOKEN_DIM + tokenDims.size() > HIDDEN) {
                throw new IllegalStateException(tokenDims.size() + " tokens do not fit " + HIDDEN + " dimensions");
            }
        }

        /**
         * Each token of {@code script} gets the row that follows its predecessor; the last one and every token
         * without a successor of its own (OTHER) are followed by end of turn. {@code modeBias} is the row's weight on
         * the constant, judge-flag and pre-check-flag dimensions: 0 where the token belongs, -LEAD elsewhere.
         */
        private void script(Vocabulary vocabulary, List<Object> script, int start, float[] modeBias) {
            List<Integer> previous = List.of(start);
            for (Object step : script) {
                String[] tokens = step instanceof String[] branch ? branch : new String[] {(String) step};
                List<Integer> current = new ArrayList<>();
                for (int i = 0; i < tokens.length; i++) {
                    int id = vocabulary.id(tokens[i]);
                    float[] row = head.computeIfAbsent(id, k -> new float[HIDDEN]);
                    if (row[CONSTANT] != 0 || row[JUDGE_FLAG] != 0 || row[PRECHECK_FLAG] != 0) {
                        throw new IllegalStateException(tokens[i] + " is written twice in the scripts");
                    }
                    row[CONSTANT] = modeBias[0];
                    row[JUDGE_FLAG] = modeBias[1];
                    row[PRECHECK_FLAG] = modeBias[2];
                    for (int before : previous) {
                        row[dim(before)] = LEAD - i * BRANCH_GAP;
                    }
                    current.add(id);
                }
                previous = current;
            }
            float[] end = head.computeIfAbsent(vocabulary.id(END_OF_TURN), k -> new float[HIDDEN]);
            end[OTHER] = LEAD;
            for (int last : previous) {
                end[dim(last)] = LEAD;
            }
        }

        private int dim(int token) {
            return tokenDims.computeIfAbsent(token, t -> FIRST_TOKEN_DIM + tokenDims.size());
        }

        SafetensorsWriter.FloatSource values(WeightSpec spec) {
            float[] values = spec.name().startsWith("language_model.") ? text(spec) : random(spec);
            return (first, chunk, count) -> System.arraycopy(values, (int) first, chunk, 0, count);
        }

        private float[] text(WeightSpec spec) {
            String name = spec.name();
            long[] shape = spec.shape();
            float[] v = new float[Math.toIntExact(spec.elementCount())];
            if (spec.kind() == WeightSpec.Kind.NORM_WEIGHT) {
                Arrays.fill(v, 1f);
            } else if (name.equals(WeightNames.embedTokens())) {
                for (int token = 0; token < shape[0]; token++) {
                    Integer d = tokenDims.get(token);
                    v[token * HIDDEN + CONSTANT] = 1f;
                    v[token * HIDDEN + (d == null ? OTHER : d)] = 1f;
                }
            } else if (name.equals(WeightNames.lmHead())) {
                for (Map.Entry<Integer, float[]> row : head.entrySet()) {
                    System.arraycopy(row.getValue(), 0, v, row.getKey() * HIDDEN, HIDDEN);
                }
            } else if (name.equals(WeightNames.textLayer(0) + "self_attn.q_proj.weight")) {
                // heads 0 and 2 ask every position the same question: "are you a marker?"
                v[(0 * HEAD_DIM + SLOW_ROTARY_DIM) * HIDDEN + CONSTANT] = MARKER_QK;
                v[(2 * HEAD_DIM + SLOW_ROTARY_DIM) * HIDDEN + CONSTANT] = MARKER_QK;
                // head 1 asks on another rotary pair: "are you the brief marker?"
                v[(1 * HEAD_DIM + SLOW_ROTARY_DIM_2) * HIDDEN + CONSTANT] = MARKER_QK;
            } else if (name.equals(WeightNames.textLayer(0) + "self_attn.k_proj.weight")) {
                // key/value head 0 (query heads 0, 1) answers for the judge marker, head 1 (query heads 2, 3) for the pre-check's
                v[(0 * HEAD_DIM + SLOW_ROTARY_DIM) * HIDDEN + tokenDims.get(judgeMarker)] = MARKER_QK;
                v[(1 * HEAD_DIM + SLOW_ROTARY_DIM) * HIDDEN + tokenDims.get(precheckMarker)] = MARKER_QK;
                v[(0 * HEAD_DIM + SLOW_ROTARY_DIM_2) * HIDDEN + tokenDims.get(briefMarker)] = MARKER_QK;
            } else if (name.equals(WeightNames.textLayer(0) + "self_attn.v_proj.weight")) {
                v[(0 * HEAD_DIM) * HIDDEN + tokenDims.get(judgeMarker)] = 1f;
                v[(1 * HEAD_DIM) * HIDDEN + tokenDims.get(precheckMarker)] = 1f;
                v[(0 * HEAD_DIM + 1) * HIDDEN + tokenDims.get(briefMarker)] = 1f;
            } else if (name.equals(WeightNames.textLayer(0) + "self_attn.o_proj.weight")) {
                // the normed input is 8× the embedding (2 ones in 128 dimensions), so 1/8 makes each flag 1
                v[JUDGE_FLAG * HEADS * HEAD_DIM + 0 * HEAD_DIM] = 0.125f;
                v[PRECHECK_FLAG * HEADS * HEAD_DIM + 2 * HEAD_DIM] = 0.125f;
                v[BRIEF_FLAG * HEADS * HEAD_DIM + 1 * HEAD_DIM + 1] = 0.125f;
            }
            // everything else in the text model is zero: no other layer writes to the residual stream, and every
            // cross-attention gate is tanh(0) = 0
            if (name.equals(WeightNames.lmHead()) && shape[0] != vocabSize) {
                throw new IllegalStateException("lm_head has " + shape[0] + " rows, expected " + vocabSize);
            }
            return v;
        }

        /** Vision tower and projector: as RandomCheckpoint initialises them, from a stream per tensor. */
        private static float[] random(WeightSpec spec) {
            float[] v = new float[Math.toIntExact(spec.elementCount())];
            SplittableRandom random = new SplittableRandom(spec.name().hashCode());
            float bound = switch (spec.kind()) {
                case LINEAR -> (float) (1 / Math.sqrt(spec.fanIn()));
                case EMBEDDING, BIAS -> 0.02f;
                case NORM_WEIGHT -> 1f;
                case NORM_BIAS -> 0f;
                case GATE -> 0.5f;
            };
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (spec.kind()) {
                    case NORM_WEIGHT, NORM_BIAS, GATE -> bound;
                    default -> (float) ((random.nextDouble() * 2 - 1) * bound);
                };
            }
            return v;
        }
    }
}
