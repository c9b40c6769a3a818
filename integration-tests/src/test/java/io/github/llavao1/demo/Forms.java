package io.github.llavao1.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Multipart bodies built by hand (so they can be malformed on purpose), sent by the JDK client or a raw socket. */
final class Forms {

    static final String BOUNDARY = "----llava-o1-test-boundary";
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    static Forms form() {
        return new Forms();
    }

    static byte[] squarePng() {
        try {
            return Files.readAllBytes(TestImages.SQUARE.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Forms text(String name, String value) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: text/plain; charset=UTF-8",
                value.getBytes(StandardCharsets.UTF_8));
    }

    Forms file(String name, String fileName, byte[] data) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/png", data);
    }

    private Forms part(String headers, byte[] data) {
        write("--" + BOUNDARY + "\r\n" + headers + "\r\n\r\n");
        body.writeBytes(data);
        write("\r\n");
        return this;
    }

    byte[] end() {
        write("--" + BOUNDARY + "--\r\n");
        return body.toByteArray();
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A good request: the test image and a question. */
    static byte[] good(String question) {
        return form().file("image", "square.png", squarePng()).text("question", question).end();
    }

    static HttpResponse<String> post(URI uri, byte[] body) {
        return post(uri, body, "multipart/form-data; boundary=" + BOUNDARY);
    }

    static HttpResponse<String> post(URI uri, byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a loopback connection and sends a request's head and the first {@code sendBytes} of its body. */
    static Socket open(URI uri, byte[] body, int sendBytes) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort()
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + body.length
                + "\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, sendBytes);
        out.flush();
        return socket;
    }

    /** Reads what the server sends until it closes or {@code marker} has been seen; bounded by the read timeout. */
    static String readUntil(Socket socket, String marker) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            got.write(buffer, 0, n);
            if (marker != null && got.toString(StandardCharsets.UTF_8).contains(marker)) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /**
     * A grey PNG of {@code width × height} whose rows are all zero: a few kilobytes that decode to
     * {@code width × height} pixels.
     */
    static byte[] bombPng(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        chunk(png, "IHDR", header);
        Deflater deflater = new Deflater(9);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[width + 1];
        byte[] out = new byte[65536];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(out, 0, deflater.deflate(out));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        png.writeBytes(length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] sum = new byte[4];
        putInt(sum, 0, (int) crc.getValue());
        png.writeBytes(sum);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private Forms() {
    }
}
