package io.github.llavao1.engine.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds the config records to JSON and back through their canonical constructors, by the Jackson annotations on
 * their components, so that each key is named once, where its value is declared:
 * <ul>
 * <li>{@code @JsonProperty}: the key, and for a primitive or string the value an absent key takes ({@code defaultValue});
 *     a primitive without one is required; an absent list, record or boxed value reads as null, for the compact
 *     constructor to reject or replace. {@code access = WRITE_ONLY}: read, but not written.</li>
 * <li>{@code @JsonAlias}: other keys the value is read from (transformers renamed some).</li>
 * <li>{@code @JsonFormat(with = ACCEPT_SINGLE_VALUE_AS_ARRAY)}: a list the file may give as one value.</li>
 * <li>{@code @JsonFormat(shape = ARRAY)} on a record type: written as the list of its components.</li>
 * <li>{@code @JsonInclude(NON_EMPTY)}: an empty list is not written; {@code NON_DEFAULT}: a value equal to its
 *     {@code defaultValue} is not written.</li>
 * </ul>
 * Stricter than Jackson's own binding where that coerces: an int must be integral (4.45 configs write some as
 * {@code 0.0}, which is accepted; {@code 1.5} is not), a boolean a JSON boolean, a number a JSON number. Every error
 * is a {@link ConfigException} naming the dotted key; a compact constructor's gets the object's path in front.
 */
final class JsonRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonRecords() {
    }

    /** The JSON object in {@code file}; a missing or malformed file is a ConfigException naming it. */
    private static JsonNode readFile(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "", "file not found", e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file.toString(), "", "expected a JSON object", null);
        }
        return root;
    }

    /** Parses the JSON object in {@code file} with {@code parse}; every problem names the file. */
    static <T> T load(Path file, Function<JsonNode, T> parse) {
        JsonNode root = readFile(file);
        return in(file.toString(), () -> parse.apply(root));
    }

    /** Runs {@code parse}, naming {@code source} in its problems. */
    static <T> T in(String source, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ConfigException e) {
            throw e.in(source);
        }
    }

    /** Binds {@code node}, the value at {@code path} ("" for a file's root), to a {@code type} record. */
    static <R extends Record> R read(Class<R> type, JsonNode node, String path) {
        RecordComponent[] components = type.getRecordComponents();
        boolean asList = writtenAsList(type);
        if (asList ? !node.isArray() || node.size() != components.length : !node.isObject()) {
            throw new ConfigException(path, " must be " + describe(type) + ", got " + node);
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Field field = field(type, components[i]);
            types[i] = components[i].getType();
            values[i] = asList ? convert(components[i].getGenericType(), node.get(i), key(path, components[i].getName()), false)
                    : component(field, node, path);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigException problem) {
                throw problem.under(path);
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a bindable record", e);
        }
    }

    /** {@code record} as JSON: an object keyed by its components' names, or a list for {@code shape = ARRAY}. */
    static JsonNode write(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        if (writtenAsList(record.getClass())) {
            ArrayNode list = JSON.createArrayNode();
            for (RecordComponent component : components) {
                list.add(toJson(value(record, component)));
            }
            return list;
        }
        ObjectNode object = JSON.createObjectNode();
        for (RecordComponent component : components) {
            Field field = field(record.getClass(), component);
            JsonProperty property = field.getAnnotation(JsonProperty.class);
            Object value = value(record, component);
            if (value != null && (property == null || property.access() != JsonProperty.Access.WRITE_ONLY)
                    && !leftOut(field, property, value)) {
                object.set(name(field, property), toJson(value));
            }
        }
        return object;
    }

    /** {@link #write} of a record written as an object. */
    static ObjectNode writeObject(Record record) {
        return (ObjectNode) write(record);
    }

    private static Object component(Field field, JsonNode object, String path) {
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        String name = name(field, property);
        JsonNode node = object.get(name);
        JsonAlias alias = field.getAnnotation(JsonAlias.class);
        for (int i = 0; alias != null && i < alias.value().length && (node == null || node.isNull()); i++) {
            node = object.get(alias.value()[i]);
        }
        String key = key(path, name);
        if (node != null && !node.isNull()) {
            JsonFormat format = field.getAnnotation(JsonFormat.class);
            boolean single = format != null && Arrays.asList(format.with()).contains(JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
            return convert(field.getGenericType(), node, key, single);
        }
        String fallback = property == null ? "" : property.defaultValue();
        if (!fallback.isEmpty()) {
            return parseDefault(field.getType(), fallback);
        }
        if (field.getType().isPrimitive()) {
            throw new ConfigException(key, " is missing");
        }
        return null;
    }

    private static Object convert(Type type, JsonNode node, String key, boolean single) {
        if (type == int.class || type == Integer.class) {
            // 4.45 configs write some integers as floats ("dropout": 0.0): accept integral ones
            if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue()) && Math.abs(node.doubleValue()) <= Integer.MAX_VALUE) {
                return node.intValue();
            }
        } else if (type == double.class || type == Double.class) {
            if (node.isNumber()) {
                return node.doubleValue();
            }
        } else if (type == boolean.class || type == Boolean.class) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
        } else if (type == String.class) {
            if (node.isTextual()) {
                return node.textValue();
            }
        } else if (type == float[].class) {
            if (node.isArray()) {
                float[] values = new float[node.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ((Double) convert(double.class, node.get(i), key + "[" + i + "]", false)).floatValue();
                }
                return values;
            }
        } else if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            Type element = list.getActualTypeArguments()[0];
            if (!node.isArray()) {
                if (single) {
                    return List.of(convert(element, node, key, false));
                }
            } else {
                List<Object> values = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    values.add(convert(element, node.get(i), key + "[" + i + "]", false));
                }
                return values;
            }
        } else if (type instanceof Class<?> c && c.isRecord()) {
            return read(c.asSubclass(Record.class), node, key);
        } else {
            throw new IllegalStateException(key + ": cannot bind a " + type);
        }
        throw new ConfigException(key, " must be " + describe(type) + ", got " + node);
    }

    private static String describe(Type type) {
        if (type == int.class || type == Integer.class) {
            return "an integer";
        } else if (type == double.class || type == Double.class) {
            return "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "a string";
        } else if (type == float[].class) {
            return "a list of numbers";
        } else if (type instanceof ParameterizedType list) {
            Type element = list.getActualTypeArguments()[0];
            return element == Integer.class ? "a list of integers"
                    : "a list of " + describe(element).replaceFirst("^an? ", "").replace(" of integers", "") + "s";
        }
        Class<?> record = (Class<?>) type;
        if (writtenAsList(record)) {
            RecordComponent[] components = record.getRecordComponents();
            return "a [" + String.join(", ", Arrays.stream(components).map(RecordComponent::getName).toList()) + "] "
                    + (components.length == 2 ? "pair" : "list") + " of integers";
        }
        return "a JSON object";
    }

    private static Object parseDefault(Class<?> type, String text) {
        if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == double.class) {
            return Double.parseDouble(text);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        } else if (type == String.class) {
            return text;
        }
        throw new IllegalStateException("no defaultValue for a " + type);
    }

    private static boolean leftOut(Field field, JsonProperty property, Object value) {
        JsonInclude include = field.getAnnotation(JsonInclude.class);
        if (include == null) {
            return false;
        }
        return switch (include.value()) {
            case NON_EMPTY -> value instanceof List<?> list && list.isEmpty();
            case NON_DEFAULT -> property != null && !property.defaultValue().isEmpty()
                    && value.equals(parseDefault(field.getType(), property.defaultValue()));
            default -> false;
        };
    }

    private static JsonNode toJson(Object value) {
        if (value instanceof Record record) {
            return write(record);
        }
        if (value instanceof float[] floats) {
            ArrayNode list = JSON.createArrayNode();
            for (float f : floats) {
                list.add(f);
            }
            return list;
        }
        if (value instanceof List<?> values) {
            ArrayNode list = JSON.createArrayNode();
            values.forEach(v -> list.add(toJson(v)));
            return list;
        }
        return JSON.valueToTree(value);
    }

    private static boolean writtenAsList(Class<?> type) {
        JsonFormat format = type.getAnnotation(JsonFormat.class);
        return format != null && format.shape() == JsonFormat.Shape.ARRAY;
    }

    private static String name(Field field, JsonProperty property) {
        return property == null || property.value().isEmpty() ? field.getName() : property.value();
    }

    private static String key(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The component's private field, which carries its annotations even when the accessor is written out. */
    private static Field field(Class<?> type, RecordComponent component) {
        try {
            return type.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
