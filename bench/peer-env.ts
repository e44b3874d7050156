/**
 * The environment every PyTorch peer of the bench runs in (and the studies' own child processes,
 * so both sides get the same allocator).
 *
 * Why: glibc's malloc serves large blocks (over 128 KiB to 32 MiB, adaptively) with mmap and
 * returns them to the system on free, so every PyTorch op that allocates a big activation
 * faults its pages in again. On the development VM page faults are expensive: PyTorch spent most
 * of its time in the kernel (sys time) and trained monkey-eye at 24-34 images/s by default
 * against 220-231 with these settings, predicted fmnist-cnn at 1,373 against 5,767 images/s
 * (2026-12-07, idle machine; jemalloc with its default purging was slower still). Keeping freed
 * memory in the heap is what PyTorch's CPU performance guides do with jemalloc or tcmalloc;
 * these glibc tunables need no extra package. `BENCH_PEER_DEFAULT_MALLOC=1` measures PyTorch with
 * glibc's defaults instead.
 */
export const PEER_ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  /** Never mmap: every block comes from the heap, which freed blocks are reused from. */
  MALLOC_MMAP_MAX_: '0',
  /** Never give the heap's top back to the system (16 GiB). */
  MALLOC_TRIM_THRESHOLD_: '17179869184',
  /** Grow the heap 1 GiB at a time. */
  MALLOC_TOP_PAD_: '1073741824',
};

/** The process environment plus {@link PEER_ALLOCATOR_ENV} (unless turned off) and `extra`. */
export function peerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const allocator = process.env.BENCH_PEER_DEFAULT_MALLOC === '1' ? {} : PEER_ALLOCATOR_ENV;
  return { ...process.env, ...allocator, ...extra };
}

/** One line for a bench's notes: which allocator settings the peers ran with. */
export function peerAllocatorNote(): string {
  return process.env.BENCH_PEER_DEFAULT_MALLOC === '1'
    ? "PyTorch peers with glibc's default malloc (BENCH_PEER_DEFAULT_MALLOC=1)"
    : 'PyTorch peers with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=16GiB MALLOC_TOP_PAD_=1GiB (freed memory stays in the heap; bench/peer-env.ts says why)';
}
