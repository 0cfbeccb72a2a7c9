#!/usr/bin/env bash
# Lays llama.cpp's prebuilt binaries, headers and vocabulary files under .native/llama-3.22.1/.
#
#   eng/fetch-llama.sh              the CPU build (always)
#   eng/fetch-llama.sh cuda         also node-llama-cpp's prebuilt CUDA build (it links CUDA 12's
#                                   libcudart.so.12 and libcublas.so.12, which must be installed)
#   eng/fetch-llama.sh cuda-source  also a CUDA build compiled here from the same llama.cpp commit
#                                   with the local CUDA toolkit (any version nvcc supports; needs
#                                   cmake and a C++ compiler; CUDA_ARCHITECTURES defaults to
#                                   "native"; LLAMA_SOURCE_DIR uses an unpacked source tree instead
#                                   of the one in node-llama-cpp's package)
#   eng/fetch-llama.sh llama-server DIR
#                                   also llama.cpp's own llama-server, CPU only, built with cmake from
#                                   the same commit into DIR/bin/llama-server (a baseline for the
#                                   benchmarks; needs cmake and a C++ compiler; kept once built)
#
# Everything comes from npm packages fetched with `npm pack` at pinned versions; each tarball is
# checked against the integrity hash pinned below before anything is extracted. The script is
# idempotent and safe to run concurrently (a lock serialises builds that race to it).
set -euo pipefail

version=3.22.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.native/llama-$version"

declare -A integrity=(
  ["@node-llama-cpp/linux-x64"]="sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg=="
  ["@node-llama-cpp/linux-x64-cuda"]="sha512-8rQCjyNNLZJUFit+YpjwlC4hwkKgOMIkB2wuycKBf8NU2O3ySKbiWZQ8aw9ku2nUTXjSnUIrE6KB88itduTBuA=="
  ["node-llama-cpp"]="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="
)

die() { echo "fetch-llama: $*" >&2; exit 1; }

mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9

# Fetches one npm package tarball into $work, verifies it, and extracts it to $work/<name>.
fetch_package() {
  local name="$1" work="$2"
  command -v npm >/dev/null || die "npm is required to fetch llama.cpp (install Node.js: apt-get install nodejs npm)"
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$name@$version" 2>/dev/null | tail -n 1) \
    || die "npm pack $name@$version failed (is the npm registry reachable?)"
  local actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  [ "$actual" = "${integrity[$name]}" ] || die "$name@$version: integrity mismatch ($actual)"
  mkdir -p "$work/${name//\//_}"
  tar -xzf "$work/$tarball" -C "$work/${name//\//_}"
}

# Copies a package's shared libraries into one variant folder, atomically (temp + rename).
install_variant() {
  local package="$1" variant="$2" bins="$3" work="$4"
  fetch_package "$package" "$work"
  local staged="$dest/.$variant.partial"
  rm -rf "$staged" && mkdir -p "$staged"
  cp "$work/${package//\//_}/package/bins/$bins/"*.so* "$staged/"
  rm -f "$staged"/libllama-common.so  # llama.cpp's C++ helpers; we bind the C API only
  rm -rf "${dest:?}/$variant" && mv "$staged" "$dest/$variant"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$dest/cpu/libllama.v0.5.0.so" ]; then
  echo "fetch-llama: installing llama.cpp CPU binaries (@node-llama-cpp/linux-x64@$version)"
  install_variant "@node-llama-cpp/linux-x64" cpu linux-x64 "$work"
fi

# Headers (for the ABI test) and vocabulary-only GGUF files (real tokenizers for generated
# test models) come from the exact llama.cpp source the binaries were built from, which
# node-llama-cpp ships as a git bundle.
if [ ! -f "$dest/src/include/llama.h" ]; then
  echo "fetch-llama: extracting llama.cpp headers and vocabularies (node-llama-cpp@$version)"
  command -v git >/dev/null || die "git is required to read llama.cpp's source bundle"
  fetch_package node-llama-cpp "$work"
  git clone --quiet --bare "$work/node-llama-cpp/package/llama/gitRelease.bundle" "$work/src.git"
  staged="$dest/.src.partial"
  rm -rf "$staged" && mkdir -p "$staged"
  git --git-dir="$work/src.git" archive HEAD include ggml/include LICENSE \
    models/ggml-vocab-llama-spm.gguf models/ggml-vocab-starcoder.gguf models/ggml-vocab-bert-bge.gguf \
    | tar -x -C "$staged"
  rm -rf "$dest/src" && mv "$staged" "$dest/src"
fi

if [ "${1:-}" = "cuda" ] && [ ! -f "$dest/cuda/libggml-cuda.so" ]; then
  echo "fetch-llama: installing llama.cpp CUDA binaries (@node-llama-cpp/linux-x64-cuda@$version)"
  install_variant "@node-llama-cpp/linux-x64-cuda" cuda linux-x64-cuda "$work"
fi

if [ "${1:-}" = "cuda-source" ] && [ ! -f "$dest/cuda/libggml-cuda.so" ]; then
  command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] || die "nvcc is required to build llama.cpp with CUDA (install the CUDA toolkit)"
  command -v cmake >/dev/null || die "cmake is required to build llama.cpp"
  source_dir="${LLAMA_SOURCE_DIR:-}"
  if [ -z "$source_dir" ]; then
    fetch_package node-llama-cpp "$work"
    git -c advice.detachedHead=false clone --quiet "$work/node-llama-cpp/package/llama/gitRelease.bundle" "$work/llama.cpp"
    source_dir="$work/llama.cpp"
  fi
  echo "fetch-llama: building llama.cpp $version's commit with CUDA from $source_dir (several minutes)"
  generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
  # Shaped like the prebuilt builds: backends as loadable modules, every CPU variant, no tools.
  cmake -S "$source_dir" -B "$work/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS="${LLAMA_CPU_ALL_VARIANTS:-ON}" \
    -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES:-native}" \
    -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF >"$work/cmake.log" 2>&1 \
    || { tail -30 "$work/cmake.log" >&2; die "configuring llama.cpp failed"; }
  cmake --build "$work/build" -j "$(nproc)" >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; die "building llama.cpp failed"; }
  staged="$dest/.cuda.partial"
  rm -rf "$staged" && mkdir -p "$staged"
  cp -L "$work/build/bin/"libggml-*.so "$staged/"
  # The names LlamaLibrary looks for; their dependents find them by SONAME once loaded.
  cp -L "$work/build/bin/libggml.so" "$staged/libggml.cuda.v0.5.0.so"
  cp -L "$work/build/bin/libllama.so" "$staged/libllama.cuda.v0.5.0.so"
  rm -rf "$dest/cuda" && mv "$staged" "$dest/cuda"
fi

if [ "${1:-}" = "llama-server" ]; then
  out="${2:?usage: eng/fetch-llama.sh llama-server DIR}"
  if [ ! -x "$out/bin/llama-server" ]; then
    command -v cmake >/dev/null || die "cmake is required to build llama-server (apt-get install cmake)"
    command -v c++ >/dev/null || die "a C++ compiler is required to build llama-server (apt-get install g++)"
    fetch_package node-llama-cpp "$work"
    git -c advice.detachedHead=false clone --quiet "$work/node-llama-cpp/package/llama/gitRelease.bundle" "$work/llama.cpp"
    mkdir -p "$out"
    echo "fetch-llama: building llama-server from llama.cpp $version's commit into $out (several minutes)"
    generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
    # Threads as in the prebuilt libraries the engine runs: ggml's own pool, no OpenMP. Tuned for
    # this CPU (GGML_NATIVE), which is what the prebuilt build's best CPU variant gives the engine.
    cmake -S "$work/llama.cpp" -B "$out/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON -DGGML_OPENMP=OFF -DLLAMA_OPENSSL=OFF \
      -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      >"$out/cmake.log" 2>&1 || { tail -30 "$out/cmake.log" >&2; die "configuring llama-server failed"; }
    cmake --build "$out/build" --target llama-server -j "$(nproc)" >"$out/build.log" 2>&1 \
      || { tail -30 "$out/build.log" >&2; die "building llama-server failed"; }
    mkdir -p "$out/bin"
    cp "$out/build/bin/llama-server" "$out/bin/llama-server.partial" && mv "$out/bin/llama-server.partial" "$out/bin/llama-server"
  fi
fi
