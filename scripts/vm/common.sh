# Shared settings for scripts/vm/*; sourced, not run.
# Everything heavy (kernel source, builds) is cached outside the work tree.
VM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$VM_DIR/../.." && pwd)"
CACHE_DIR="${SWIFT_IOMMUFD_CACHE:-/var/cache/swift-iommufd}"
# Bump to invalidate every cached kernel build (e.g. when the build recipe changes).
KERNEL_CACHE_EPOCH=1

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }
