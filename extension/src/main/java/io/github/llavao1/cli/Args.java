package io.github.llavao1.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal GNU-style option parsing: {@code --name value}, repeated options, flags; unknown options are errors. */
final class Args {

    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();

    private Args() {
    }

    /**
     * @param valued options that take a value (may repeat)
     * @param flagNames options without a value
     */
    static Args parse(String[] args, int from, Set<String> valued, Set<String> flagNames) {
        Args parsed = new Args();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagNames.contains(name) && inline == null) {
                parsed.flags.add(name);
            } else if (valued.contains(name)) {
                String value = inline != null ? inline : (i + 1 < args.length ? args[++i] : null);
                if (value == null) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return parsed;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    String required(String name) {
        String v = string(name, null);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    int integer(String name, int fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    long longValue(String name, long fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    double number(String name, double fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    List<Integer> integers(String name, List<Integer> fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of integers, got '" + v + "'");
            }
        }
        return out;
    }

    /** A command-line mistake: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
