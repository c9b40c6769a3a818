#!/usr/bin/env bash
# Runs the CUDA checks of issue #15 from a bundle made by gpu/prepare.sh, on a machine with PyTorch under Python
# and no Java, Maven or network, from the repository root (the fixture is read from the working tree):
#   1. the fixture conformance (vision output, cross-attention states, prompt logits, greedy tokens) in float16 and in
#      float32 on the device: conformance-<device>-<dtype>.json;
#   2. bench at the real 11B shape with random float16 weights: load, image encode, prefill, decode ms/step at batch
#      1 and 4 (bench-<config>.json), with the GPU memory sampled by nvidia-smi (gpu-memory.csv, peak in summary.md);
#   3. env.txt (GPU, driver, torch, the bundle) and summary.md (everything above in words, a BENCHMARKS.md row).
# Results go to $OUT (default ./gpu-out). Exit code 0 when all ran and conformance passed, 3 when conformance found
# differences (summary.md says which and by how much), 1 when a step failed.
#
# DJL 0.36's published JNI library is built for libtorch 2.7.1 and fails against another libtorch at the first array
# creation, so this script needs a libdjl_torch.so built for exactly the machine's libtorch: --jni FILE (or
# DJL_TORCH_JNI). It does not build one: build it from DJL's own source (engines/pytorch/pytorch-native, see DJL's
# documentation) against the libtorch that `python3 -c 'import torch; print(torch.utils.cmake_prefix_path)'` names.
#
#   bash gpu/bundle/run-on-device.sh --jni /path/to/libdjl_torch.so
# Options: --libtorch DIR (default: torch's lib folder from python3), --torch-version V and --flavor F (default: from
# python3 torch, e.g. 2.11.0 and cu130), --device gpu|cpu, --bench-config 11b|mid|small|FILE, --bench-steps N (32),
# --bench-timeout S (420), --bench-repeat N (3), --skip-bench, --stage (link libtorch into a scratch folder instead of copying the JNI
# library into the libtorch folder), --fixture DIR (extension/src/test/resources/tiny-mllama-a).
set -uo pipefail
BUNDLE=$(cd "$(dirname "$0")" && pwd)
JAVA="$BUNDLE/jre/bin/java"
CP="$BUNDLE/lib/*"
OUT=${OUT:-$PWD/gpu-out}
WORK=${WORK:-/tmp/llava-o1-gpu}
JNI=${DJL_TORCH_JNI:-}
LIBTORCH="" TORCH_VERSION="" FLAVOR="" DEVICE=gpu BENCH_CONFIG=11b BENCH_STEPS=32 BENCH_TIMEOUT=420 BENCH_REPEAT=3 SKIP_BENCH=0 STAGE=0
FIXTURE=extension/src/test/resources/tiny-mllama-a
HEAP=${JAVA_HEAP:-24g}

fail() { echo "run-on-device: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --jni) JNI=$2; shift 2 ;;
        --libtorch) LIBTORCH=$2; shift 2 ;;
        --torch-version) TORCH_VERSION=$2; shift 2 ;;
        --flavor) FLAVOR=$2; shift 2 ;;
        --device) DEVICE=$2; shift 2 ;;
        --bench-config) BENCH_CONFIG=$2; shift 2 ;;
        --bench-steps) BENCH_STEPS=$2; shift 2 ;;
        --bench-timeout) BENCH_TIMEOUT=$2; shift 2 ;;
        --bench-repeat) BENCH_REPEAT=$2; shift 2 ;;
        --skip-bench) SKIP_BENCH=1; shift ;;
        --stage) STAGE=1; shift ;;
        --fixture) FIXTURE=$2; shift 2 ;;
        *) fail "unknown option $1 (see the comment at the top of this script)" ;;
    esac
done
[ -x "$JAVA" ] || fail "no Java runtime at $JAVA: run gpu/prepare.sh on a build machine first and carry its bundle"
[ -n "$JNI" ] || fail "--jni FILE (or DJL_TORCH_JNI) is required: a libdjl_torch.so built from DJL's pytorch-native source for exactly this machine's libtorch (this script builds nothing)"
[ -f "$JNI" ] || fail "--jni $JNI: no such file"
[ -f "$FIXTURE/reference.json" ] || fail "--fixture $FIXTURE has no reference.json (run from the repository root)"
mkdir -p "$OUT" "$WORK"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/conformance-*.json "$OUT"/bench-*.json "$OUT/gpu-memory.csv" "$OUT/summary.md"
LOG="$OUT/log.txt"
: >"$LOG"

# libtorch: the folder with libtorch.so, its version and flavor; from the Python install unless given
TORCH_DIR=""
if [ -z "$LIBTORCH" ] || [ -z "$TORCH_VERSION" ] || [ -z "$FLAVOR" ]; then
    read -r py_dir py_version py_cuda < <(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__), torch.__version__.split("+")[0], torch.version.cuda or "none")') \
        || fail "python3 cannot import torch: pass --libtorch DIR --torch-version V --flavor F"
    TORCH_DIR=$py_dir
    LIBTORCH=${LIBTORCH:-$py_dir/lib}
    TORCH_VERSION=${TORCH_VERSION:-$py_version}
    [ "$py_cuda" = none ] && py_flavor=cpu || py_flavor=cu${py_cuda//./}
    FLAVOR=${FLAVOR:-$py_flavor}
fi
[ -f "$LIBTORCH/libtorch.so" ] || fail "--libtorch $LIBTORCH has no libtorch.so"

# DJL loads the JNI library from PYTORCH_LIBRARY_PATH first, as <djl version>-libdjl_torch.so or libdjl_torch.so
if [ "$STAGE" = 0 ] && [ -w "$LIBTORCH" ] && ! ls "$LIBTORCH"/*-libdjl_torch.so >/dev/null 2>&1; then
    cp "$JNI" "$LIBTORCH/libdjl_torch.so"
    LIBDIR=$LIBTORCH
else
    LIBDIR="$WORK/libtorch"
    rm -rf "$LIBDIR" && mkdir -p "$LIBDIR"
    for f in "$LIBTORCH"/*; do
        case "$(basename "$f")" in *libdjl_torch.so) ;; *) ln -s "$f" "$LIBDIR/" ;; esac
    done
    cp "$JNI" "$LIBDIR/libdjl_torch.so"
    # the links break libtorch's $ORIGIN-relative search for CUDA's libraries (site-packages/nvidia/*/lib)
    extra=$LIBTORCH
    if [ -n "$TORCH_DIR" ] && [ -d "$(dirname "$TORCH_DIR")/nvidia" ]; then
        for d in $(find "$(dirname "$TORCH_DIR")/nvidia" -maxdepth 3 -type d -name lib); do extra="$extra:$d"; done
    fi
    export LD_LIBRARY_PATH="$extra${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export PYTORCH_LIBRARY_PATH=$LIBDIR PYTORCH_VERSION=$TORCH_VERSION PYTORCH_FLAVOR=$FLAVOR
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR="$WORK/djl-cache"

{
    echo "date: $(date -u +%FT%TZ)"
    echo "host: $(uname -srm), $(nproc) CPUs"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/gpu: /'
    echo "libtorch: $TORCH_VERSION $FLAVOR at $LIBTORCH (PYTORCH_LIBRARY_PATH=$LIBDIR)"
    echo "jni: $JNI ($(sha256sum "$JNI" | cut -c1-16))"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"
    cat "$BUNDLE/MANIFEST.txt"
} >"$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

java_main() {
    local seconds=$1; shift
    timeout "$seconds" "$JAVA" -Xmx"$HEAP" -cp "$CP" io.github.llavao1.cli.Main "$@"
}

status=0
for dtype in float16 float32; do
    name="conformance-$DEVICE-$dtype"
    echo "== $name" | tee -a "$LOG"
    java_main 180 conformance --fixture "$FIXTURE" --device "$DEVICE" --dtype "$dtype" --json >"$OUT/$name.json" 2>>"$LOG"
    rc=$?
    echo "   exit $rc" | tee -a "$LOG"
    if [ $rc = 3 ]; then [ $status = 0 ] && status=3; elif [ $rc != 0 ]; then status=1; fi
done

if [ "$SKIP_BENCH" = 0 ]; then
    name="bench-$(basename "$BENCH_CONFIG" .json)"
    echo "== $name" | tee -a "$LOG"
    sampler=""
    if command -v nvidia-smi >/dev/null; then
        nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader,nounits -lms 500 >"$OUT/gpu-memory.csv" 2>/dev/null &
        sampler=$!
    fi
    java_main "$BENCH_TIMEOUT" bench --config "$BENCH_CONFIG" --device "$DEVICE" --dir "$WORK/$name" \
        --decode-steps "$BENCH_STEPS" --repeat "$BENCH_REPEAT" --json >"$OUT/$name.json" 2>>"$LOG"
    rc=$?
    [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
    echo "   exit $rc" | tee -a "$LOG"
    [ $rc = 0 ] || status=1
fi

python3 - "$OUT" "$DEVICE" <<'PY' || status=1
import glob, json, os, sys
out, device = sys.argv[1], sys.argv[2]
env = open(os.path.join(out, "env.txt")).read().strip()
gpus = [l[5:].split(",")[0].strip() for l in env.splitlines() if l.startswith("gpu: ")]
machine = gpus[0] if gpus and device != "cpu" else device
lines = ["# GPU run of issue #15", "", "```", env, "```", ""]
for path in sorted(glob.glob(os.path.join(out, "conformance-*.json"))):
    name = os.path.basename(path)[:-5]
    try:
        report = json.load(open(path))
    except ValueError:
        lines += ["## " + name, "", "did not run: see log.txt", ""]
        continue
    lines += ["## " + name, "", "%s, tolerance %g: %s" % (report["device"], report["tolerance"], "PASS" if report["pass"] else "DIFFERENCES"), "",
              "| case | vision output (max abs diff) | cross-attention states | prompt logits | logits argmax agreement | greedy tokens |",
              "|---|---|---|---|---|---|"]
    for case, c in report["cases"].items():
        images = c.get("images", [])
        vision = ", ".join("%.2e" % i["vision_output"]["max_abs_diff"] for i in images) or "-"
        states = ", ".join("%.2e" % i["cross_attention_states"]["max_abs_diff"] for i in images) or "-"
        tokens = c["greedy_tokens"]
        if tokens["pass"]:
            greedy = "identical"
        else:
            greedy = "differ from token %d (reference %s, ours %s; our logit margin %s)" % (tokens["first_mismatch"],
                tokens["expected"][tokens["first_mismatch"]:], tokens["actual"][tokens["first_mismatch"]:],
                "%.2e" % tokens["logit_ours_minus_reference_token"] if "logit_ours_minus_reference_token" in tokens else "n/a")
        lines.append("| %s | %s | %s | %.2e | %.3f | %s |" % (case, vision, states, c["logits"]["max_abs_diff"], c["logits"]["argmax_agreement"], greedy))
    lines.append("")
for path in sorted(glob.glob(os.path.join(out, "bench-*.json"))):
    name = os.path.basename(path)[:-5]
    try:
        b = json.load(open(path))
    except ValueError:
        lines += ["## " + name, "", "did not run: see log.txt", ""]
        continue
    peak = "n/a"
    csv = os.path.join(out, "gpu-memory.csv")
    if os.path.exists(csv):
        used = [int(l.split(",")[1]) for l in open(csv) if l.count(",") == 1 and l.split(",")[1].strip().isdigit()]
        if used:
            peak = "%.1f GiB (nvidia-smi, whole GPU)" % (max(used) / 1024)
    lines += ["## " + name, "", "```", json.dumps(b, indent=1), "```", "", "peak GPU memory: " + peak, "",
              "| config | machine | load | image encode | prefill (img + %d tok) | decode b=1 | decode b=4 | peak GPU memory |" % b.get("prompt_tokens", 64),
              "|---|---|---|---|---|---|---|---|",
              "| %s (%s) | %s | %.1f s (%.1f GB/s) | %.1f ms | %.1f ms | %s ms/step | %s ms/step | %s |" % (
                  b["config"], b["dtype"], machine, b["load_s"], b["load_gb_per_s"], b["image_encode_ms"], b["prefill_ms"],
                  "%.2f" % b["decode_ms_per_step_batch_1"] if "decode_ms_per_step_batch_1" in b else "-",
                  "%.2f" % b["decode_ms_per_step_batch_4"] if "decode_ms_per_step_batch_4" in b else "-", peak), ""]
open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
exit $status
