package io.github.llavao1.hub;

import io.github.llavao1.validation.InvalidSettingException;
import java.util.regex.Pattern;

/**
 * A model repository on the Hugging Face Hub at one revision, e.g. {@code Xkev/Llama-3.2V-11B-cot} at {@code main}.
 *
 * @param id       {@code owner/name} (or a bare legacy name such as {@code gpt2})
 * @param revision a branch, a tag or a 40-character commit hash
 */
public record HubModel(String id, String revision) {

    public static final String DEFAULT_REVISION = "main";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubModel {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            throw new InvalidSettingException("modelId", "must look like owner/name (letters, digits, '.', '_', '-'), got '"
                    + id + "'");
        }
        if (revision == null || revision.isBlank()) {
            revision = DEFAULT_REVISION;
        }
        if (revision.contains("..") || revision.startsWith("/") || revision.contains("\\") || revision.contains("\0")) {
            throw new InvalidSettingException("revision", "must be a branch, tag or commit hash, got '" + revision + "'");
        }
    }

    /** The model at {@code main}. */
    public static HubModel of(String id) {
        return new HubModel(id, DEFAULT_REVISION);
    }

    /** Whether the revision is a full commit hash, which never moves (so its snapshot needs no look-up). */
    public boolean pinned() {
        return isCommit(revision);
    }

    static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    @Override
    public String toString() {
        return id + "@" + revision;
    }
}
