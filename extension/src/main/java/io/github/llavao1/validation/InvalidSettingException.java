package io.github.llavao1.validation;

/**
 * A setting that a builder or an options record rejects, with the field it belongs to, so that a caller that took
 * the value from elsewhere can name it there (the Quarkus extension maps {@code candidateTopP} to
 * {@code quarkus.langchain4j.llava-o1.reasoning.candidate-top-p}) without reading the message. The message starts
 * with the field: {@code candidateTopP must be in (0, 1], was 1.5}.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field the field as the API spells it ({@code maxImageBytes}, {@code maxTokens[CAPTION]})
     * @param problem what is wrong with it, as it reads after the field's name
     */
    public InvalidSettingException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** The rejected field, as the API that rejected it spells it. */
    public String field() {
        return field;
    }
}
