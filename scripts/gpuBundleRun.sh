#!/usr/bin/env bash
# MNIST Lab's GPU figures, from the folder `npm run gpu:bundle` writes, on a Linux x86-64 machine
# with a GPU driver and no npm or internet. It prints the adapter and driver, the bench rows for
# seed-mlp and seed-cnn on WebGPU (with PyTorch's where torch sees CUDA), the seconds until the
# seed CNN first reaches 99.0 % test accuracy, and deep-cnn's 30 epochs with its test accuracy.
# `run.sh --quick` does a short version of each (it runs on a CPU through SwiftShader, slowly).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
work="${MNIST_LAB_GPU_WORK:-${TMPDIR:-/tmp}/mnist-lab-gpu}"
mkdir -p "$work"

# Unpack what this bundle holds, once: Node, the app (with Dawn) and the peers, again whenever the
# bundle differs from the one unpacked before (its checksum is kept beside them); the loaders
# only where the machine has none.
stamp="$( (cat "$here/node.xz"; find "$here/app" "$here/shared" -type f | sort | xargs cat) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$work/bundle.sha256" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work/node" "$work/app" "$work/shared"
  xz -dc "$here/node.xz" >"$work/node" && chmod +x "$work/node"
  cp -r "$here/app" "$work/app"
  xz -d "$work/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
  cp -r "$here/shared" "$work/shared"
  echo "$stamp" >"$work/bundle.sha256"
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' && ls "$here"/debs/*.deb >/dev/null 2>&1; then
  mkdir -p "$work/gl"
  for deb in "$here"/debs/*.deb; do
    if command -v dpkg >/dev/null; then dpkg -x "$deb" "$work/gl"; else (cd "$work/gl" && ar p "$deb" data.tar.xz | tar -xJ); fi
  done
  export LD_LIBRARY_PATH="$work/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# NVIDIA's driver files where containers put them.
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then export VK_DRIVER_FILES="${VK_DRIVER_FILES:-$icd}"; break; fi
done
# Without a GPU (the quick check on a CPU machine): Debian chromium's SwiftShader, if it is there.
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] && [ -z "${VK_DRIVER_FILES:-}" ] && export VK_ADD_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json

node="$work/node"
cli="$work/app/dist/main/cli.cjs"
data="$work/data"
export MNIST_LAB_BACKEND=webgpu

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu: /'; else echo "gpu: nvidia-smi not found"; fi
echo "node: $("$node" --version)"

echo "== bench (WebGPU; the PyTorch rows where torch sees CUDA)"
if [ "$quick" = 1 ]; then
  "$node" "$cli" bench --skip-browser --backend webgpu --gpu-batches 1
else
  "$node" "$cli" bench --skip-browser --backend webgpu --gpu-batches 300
fi

# Trains with --json and prints the epochs' lines as a person reads them, then the verdicts.
train() {
  local label=$1
  shift
  echo "== $label"
  "$node" "$cli" train --backend webgpu --json --data-dir "$data" "$@" | "$node" -e '
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const goal = Number(process.argv[1]);
    let elapsed = 0, reached = null;
    for (const l of lines) {
      if (l.type === "backend") console.log(`backend: ${l.active}${l.threads > 1 ? ` (${l.threads} threads)` : ""}`);
      if (l.type !== "epoch") continue;
      elapsed += l.seconds;
      console.log(`epoch ${l.epoch}: ${Math.round(l.imagesPerSecond)} images/s, val_accuracy ${(l.valAccuracy * 100).toFixed(2)} % at ${elapsed.toFixed(1)} s of training`);
      if (reached === null && l.valAccuracy >= goal) reached = elapsed;
    }
    const done = lines.find((l) => l.type === "done");
    if (done) console.log(`test accuracy ${(done.testAccuracy * 100).toFixed(2)} % (best epoch ${done.bestEpoch})`);
    if (goal > 0) console.log(reached === null ? `never reached ${(goal * 100).toFixed(1)} % test accuracy` : `reached ${(goal * 100).toFixed(1)} % test accuracy after ${reached.toFixed(1)} s of training`);
  ' "${GOAL:-0}"
}

if [ "$quick" = 1 ]; then
  GOAL=0.99 train "seed-cnn until 99.0 % test accuracy (quick: 1 epoch of 200 images)" --preset seed-cnn --epochs 1 --limit 200 --test-limit 100
  train "deep-cnn (quick: 1 epoch of 100 images)" --preset deep-cnn --epochs 1 --limit 100 --test-limit 100
else
  GOAL=0.99 train "seed-cnn until 99.0 % test accuracy" --preset seed-cnn --epochs 12
  train "deep-cnn, 30 epochs" --preset deep-cnn --epochs 30
fi
