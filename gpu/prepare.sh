#!/usr/bin/env bash
# Assembles, on a build machine with JDK 17 and Maven, what gpu/run-on-device.sh needs on a CUDA machine that has
# PyTorch under Python but no Java, no Maven and no network, into one git-ignored folder (default gpu/bundle):
#   jre/   a jlinked Java 17 runtime (stripped; keeps include/jni.h for anyone building a JNI library there)
#   lib/   the project's jar and the runtime jars the command line needs, resolved with -Pcuda (no pytorch-native-cpu,
#          whose 111 MB CPU libtorch is useless there); DJL's tokenizers jar cut down to its linux-x86_64 library;
#          no pytorch-jni (the JNI library comes from the user, see run-on-device.sh), no LangChain4j jars (the
#          command line does not use them) and no commons-compress/-io/-codec (DJL needs them only for archives);
#          slf4j-simple so that the engine's log lines are printed
#   run-on-device.sh, MANIFEST.txt (what is in the bundle, from which commit)
# It then checks that the working tree plus the bundle (plus any other folders named in CARRY) fit the 64 MiB that
# one call of the device tool may carry, and dry-runs the bundle's Java on this machine when DRY_RUN_LIBTORCH names a
# libtorch folder with a JNI library next to it (see README.md, section GPU).
#
#   gpu/prepare.sh                                    # assemble and size-check
#   CARRY="gpu/djl-src" gpu/prepare.sh                # also count another carried folder
#   DRY_RUN_LIBTORCH=~/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64 gpu/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUNDLE=${BUNDLE:-gpu/bundle}
LIMIT_MIB=64
# the JDK modules the command line needs: the six the engine and DJL use, and java.desktop for ImageIO (PNG/JPEG
# decoding of the fixture images; without it ImageDecoder fails to link)
MODULES=java.base,java.desktop,java.management,java.logging,jdk.unsupported,java.naming,java.sql
SLF4J_SIMPLE=org.slf4j:slf4j-simple:2.0.17   # the binding the tests use (extension/pom.xml)
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

echo "[prepare] building the extension jar with -Pcuda"
mvn -B -q -pl extension -am package -DskipTests -Pcuda
rm -rf "$BUNDLE"
mkdir -p "$BUNDLE/lib"
mvn -B -q -pl extension dependency:copy-dependencies -Pcuda -DincludeScope=runtime \
    -DexcludeArtifactIds=pytorch-jni,pytorch-native-cpu,langchain4j,langchain4j-core,langchain4j-agentic,opennlp-tools,jspecify,commons-compress,commons-codec,commons-io \
    -DoutputDirectory="$ROOT/$BUNDLE/lib"
for jar in extension/target/langchain4j-llava-o1-*.jar; do
    case "$jar" in
        *-tests.jar|*-sources.jar|*-javadoc.jar) ;;   # the command line needs none of them (2 MB for the test-jar)
        *) cp "$jar" "$BUNDLE/lib/" ;;
    esac
done
if ! ls "$BUNDLE"/lib/slf4j-simple-*.jar >/dev/null 2>&1; then
    mvn -B -q dependency:copy -Dartifact="$SLF4J_SIMPLE" -DoutputDirectory="$ROOT/$BUNDLE/lib"
fi
if ls "$BUNDLE"/lib/pytorch-native-* >/dev/null 2>&1; then
    echo "[prepare] error: a pytorch-native jar is in the bundle although -Pcuda should leave it out" >&2
    exit 1
fi
for jar in "$BUNDLE"/lib/tokenizers-*.jar; do
    zip -q -d "$jar" 'native/lib/linux-aarch64/*' 'native/lib/osx-*' 'native/lib/win-*'
done

echo "[prepare] jlink: $MODULES"
# headless: no X11 toolkit, sound or splash screen (their libraries would pull 8 MB of X11 and audio libraries)
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --compress=2 \
    --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libjsound.so,**/libsplashscreen.so' --output "$BUNDLE/jre"
find "$BUNDLE/jre/lib" -name '*.so' -exec strip --strip-unneeded {} +
# native libraries the JRE links against beyond glibc and libstdc++, which the CUDA image may lack (zlib, lcms2),
# next to the JRE's own (they find each other through $ORIGIN); not the font manager's (text rendering is unused)
for dep in $(ls "$BUNDLE"/jre/lib/*.so "$BUNDLE"/jre/lib/server/libjvm.so | grep -v libfontmanager | xargs ldd 2>/dev/null \
        | awk '/=> \//{print $3}' | sort -u); do
    case "$(basename "$dep")" in
        libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|libstdc++.so*|libgcc_s.so*) ;;
        *) [ -e "$BUNDLE/jre/lib/$(basename "$dep")" ] || cp -L "$dep" "$BUNDLE/jre/lib/" ;;
    esac
done

cp gpu/run-on-device.sh "$BUNDLE/"
{
    echo "bundle for gpu/run-on-device.sh, from commit $(git rev-parse HEAD)$(git diff --quiet HEAD || echo ' (with local changes)')"
    echo "jre: $("$BUNDLE/jre/bin/java" -version 2>&1 | head -1), modules $MODULES"
    echo "jars:"
    (cd "$BUNDLE/lib" && ls -1)
} >"$BUNDLE/MANIFEST.txt"

# what one call of the device tool carries: tracked and untracked-not-ignored files, plus the carried folders
tree_bytes=$(git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null | awk '{s+=$1} END {print s+0}')
total=$tree_bytes
printf '[prepare] %-28s %6.1f MiB\n' "working tree" "$(echo "$tree_bytes" | awk '{print $1/1048576}')"
for path in "$BUNDLE" ${CARRY:-}; do
    bytes=$(du -sb "$path" | cut -f1)
    total=$((total + bytes))
    printf '[prepare] %-28s %6.1f MiB\n' "$path" "$(echo "$bytes" | awk '{print $1/1048576}')"
done
printf '[prepare] %-28s %6.1f MiB of %d\n' "total" "$(echo "$total" | awk '{print $1/1048576}')" "$LIMIT_MIB"
if [ "$total" -gt $((LIMIT_MIB * 1048576)) ]; then
    echo "[prepare] error: over the $LIMIT_MIB MiB a device call may carry" >&2
    exit 1
fi

if [ -n "${DRY_RUN_LIBTORCH:-}" ]; then
    echo "[prepare] dry run of the bundle on this machine's CPU with $DRY_RUN_LIBTORCH"
    jni=$(ls "$DRY_RUN_LIBTORCH"/*libdjl_torch.so | head -1)
    OUT=${OUT:-gpu/dry-run} bash "$BUNDLE/run-on-device.sh" --jni "$jni" --libtorch "$DRY_RUN_LIBTORCH" \
        --torch-version "${DRY_RUN_TORCH_VERSION:-2.7.1}" --flavor cpu --device cpu --stage \
        --bench-config extension/src/test/resources/tiny-mllama-a/config.json --bench-steps 8 --bench-repeat 1
fi
