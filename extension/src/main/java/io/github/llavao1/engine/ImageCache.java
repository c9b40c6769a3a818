package io.github.llavao1.engine;

import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.model.CrossAttentionStatesHandle;
import io.github.llavao1.engine.model.LoadedModel;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Encoded images shared across requests: an image's cross-attention keys and values (vision tower, projector and
 * every cross-attention layer's K/V projections) are computed once and reused by every later request with the same
 * image, e.g. a multi-turn chat about one picture or the reasoning tool called twice on it (issue #10).
 *
 * <p>Images are keyed by their preprocessed pixels and tile layout (SHA-256), so the same bytes, or different bytes
 * that decode to the same pixels, hit, and different images never share an encoding. The cache is LRU and bounded by
 * the native bytes of the encodings it holds; an encoding larger than the bound is used once and not kept. Entries
 * are reference-counted: an evicted encoding that a session still uses is freed when that session releases it.
 * Concurrent requests for the same image wait for one encoding instead of running the vision tower twice.
 * Thread-safe.
 */
public final class ImageCache implements AutoCloseable {

    private final LoadedModel model;
    private final long capacityBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;
    private boolean closed;

    /** @param capacityBytes the bound on held encodings' native bytes; 0 turns caching off (every image is encoded) */
    public ImageCache(LoadedModel model, long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("imageCacheBytes must be >= 0, got " + capacityBytes);
        }
        this.model = model;
        this.capacityBytes = capacityBytes;
    }

    /**
     * The request's images' cross-attention states, from the cache where it has them; the caller closes the result
     * when the request ends.
     */
    public Encoding encode(List<ProcessedImage> images) {
        List<Entry> leased = new ArrayList<>();
        try {
            for (ProcessedImage image : images) {
                leased.add(acquire(image));
            }
            if (leased.size() == 1) {
                return new Encoding(this, leased, leased.get(0).states(), false);
            }
            List<CrossAttentionStatesHandle> parts = new ArrayList<>();
            for (Entry entry : leased) {
                parts.add(entry.states());
            }
            return new Encoding(this, leased, model.concatImages(parts), true);
        } catch (RuntimeException e) {
            leased.forEach(this::release);
            throw e;
        }
    }

    public synchronized ImageCacheStats stats() {
        return new ImageCacheStats(hits, misses, evictions, entries.size(), bytes, capacityBytes);
    }

    /** Native arrays of the encodings the cache holds (for {@link LlavaEngine#liveNativeArrays()}). */
    synchronized int nativeArrays() {
        int arrays = 0;
        for (Entry entry : entries.values()) {
            arrays += entry.ready.isDone() && !entry.ready.isCompletedExceptionally() ? entry.states().nativeArrays() : 0;
        }
        return arrays;
    }

    private Entry acquire(ProcessedImage image) {
        Key key = capacityBytes == 0 ? null : Key.of(image);
        Entry entry;
        boolean encodeHere;
        synchronized (this) {
            checkOpen();
            entry = key == null ? null : entries.get(key);
            encodeHere = entry == null;
            if (encodeHere) {
                misses++;
                entry = new Entry(key);
                if (key != null) {
                    entries.put(key, entry);
                }
            } else {
                hits++;
            }
            entry.refs++;
        }
        if (encodeHere) {
            CrossAttentionStatesHandle states;
            try {
                states = model.encodeImages(List.of(image));
            } catch (RuntimeException e) {
                synchronized (this) {
                    entry.refs--;
                    if (key != null) {
                        entries.remove(key, entry);
                    }
                }
                entry.ready.completeExceptionally(e);
                throw e;
            }
            synchronized (this) {
                entry.bytes = states.bytes();
                entry.ready.complete(states);
                if (key != null && entry.bytes > capacityBytes) {
                    // used by this request only: keeping it would break the bound
                    entries.remove(key, entry);
                    entry.evicted = true;
                    evictions++;
                } else if (key != null) {
                    bytes += entry.bytes;
                    trim();
                }
            }
            return entry;
        }
        try {
            entry.ready.join();
            return entry;
        } catch (CompletionException e) {
            synchronized (this) {
                entry.refs--;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Evicts least recently used finished encodings until the held bytes are within the bound. */
    private void trim() {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (bytes > capacityBytes && oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            if (!entry.ready.isDone()) {
                continue;
            }
            oldestFirst.remove();
            bytes -= entry.bytes;
            evictions++;
            entry.evicted = true;
            if (entry.refs == 0) {
                entry.states().close();
            }
        }
    }

    private synchronized void release(Entry entry) {
        entry.refs--;
        if (entry.refs == 0 && (entry.evicted || entry.key == null) && !closed) {
            entry.states().close();
        }
    }

    /** Forgets every encoding; the engine frees their memory with the model right after. */
    @Override
    public synchronized void close() {
        closed = true;
        entries.clear();
        bytes = 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the image cache is closed");
        }
    }

    /** One request's images: leased encodings and, for several images, their concatenation. */
    public static final class Encoding implements AutoCloseable {
        private final ImageCache cache;
        private final List<Entry> leased;
        private final CrossAttentionStatesHandle states;
        private final boolean ownsStates;
        private boolean closed;

        private Encoding(ImageCache cache, List<Entry> leased, CrossAttentionStatesHandle states, boolean ownsStates) {
            this.cache = cache;
            this.leased = leased;
            this.states = states;
            this.ownsStates = ownsStates;
        }

        public CrossAttentionStatesHandle states() {
            return states;
        }

        /** Returns the leased encodings to the cache; idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (ownsStates) {
                states.close();
            }
            leased.forEach(cache::release);
        }
    }

    /** A cached (or, with the cache off, single-use) encoding and the sessions using it. */
    private static final class Entry {
        final Key key;
        final CompletableFuture<CrossAttentionStatesHandle> ready = new CompletableFuture<>();
        long bytes;
        int refs;
        boolean evicted;

        Entry(Key key) {
            this.key = key;
        }

        CrossAttentionStatesHandle states() {
            return ready.join();
        }
    }

    /** SHA-256 of an image's preprocessed pixels and tile layout. */
    private record Key(String digest) {

        static Key of(ProcessedImage image) {
            MessageDigest sha = sha256();
            ByteBuffer header = ByteBuffer.allocate(5 * Integer.BYTES + image.aspectRatioMask().length * Integer.BYTES);
            header.putInt(image.numTiles()).putInt(image.tileRows()).putInt(image.tileCols()).putInt(image.aspectRatioId())
                    .putInt(image.pixelValues().length);
            for (int flag : image.aspectRatioMask()) {
                header.putInt(flag);
            }
            sha.update(header.array());
            float[] pixels = image.pixelValues();
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < pixels.length; ) {
                chunk.clear();
                int n = Math.min(pixels.length - i, chunk.capacity() / Float.BYTES);
                chunk.asFloatBuffer().put(pixels, i, n);
                sha.update(chunk.array(), 0, n * Float.BYTES);
                i += n;
            }
            return new Key(HexFormat.of().formatHex(sha.digest()));
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no SHA-256", e);
            }
        }
    }
}
