package io.github.llavao1.engine.text;

/** Author of a chat message, with the name the Llama 3 chat format writes between the header tokens. */
public enum Role {
    SYSTEM("system"),
    USER("user"),
    ASSISTANT("assistant");

    private final String headerName;

    Role(String headerName) {
        this.headerName = headerName;
    }

    /** The role as written in {@code <|start_header_id|>role<|end_header_id|>}. */
    public String headerName() {
        return headerName;
    }
}
