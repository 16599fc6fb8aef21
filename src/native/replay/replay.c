// wgpu-ts command replay: pass encoders record their commands in JavaScript into a u32 stream
// (see recorder.ts for the format); one FFI call hands the stream here and this replays it with
// the engine's own wgpu* functions. The functions are resolved with dlsym from the library
// wgpu-ts already loaded, so one helper serves every engine (wgpu-native, Dawn).
// Built by scripts/build-native.sh into build/native/; without it wgpu-ts calls the engine directly.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

typedef void *H;

// The ops; recorder.ts holds the same numbers (the tests compare replayed and direct results).
// Every command takes an even number of words, so that handles (2 words) sit on 8-byte boundaries.
enum {
  OP_SET_PIPELINE = 1,      // pad, pipeline(2)
  OP_SET_BIND_GROUP = 2,    // index, group(2), offsets[count] (+ pad when count is odd); count = header >> 8
  OP_DISPATCH = 3,          // x, y, z
  OP_DISPATCH_INDIRECT = 4, // pad, buffer(2), offset(2)
  OP_DRAW = 5,              // vertexCount, instanceCount, firstVertex, firstInstance, pad
  OP_DRAW_INDEXED = 6,      // indexCount, instanceCount, firstIndex, baseVertex, firstInstance
  OP_DRAW_INDIRECT = 7,     // pad, buffer(2), offset(2)
  OP_DRAW_INDEXED_INDIRECT = 8,
  OP_SET_VERTEX_BUFFER = 9, // slot, buffer(2), offset(2), size(2)
  OP_SET_INDEX_BUFFER = 10, // format, buffer(2), offset(2), size(2)
  OP_SET_VIEWPORT = 11,     // x, y, w, h, minDepth, maxDepth as f32 bits, pad
  OP_SET_SCISSOR = 12,      // x, y, w, h, pad
  OP_SET_STENCIL_REFERENCE = 14, // reference, 4 pad
  OP_BEGIN_OCCLUSION_QUERY = 15, // queryIndex, 4 pad
  OP_END_OCCLUSION_QUERY = 16,   // 5 pad
  OP_DRAW1 = 17,            // vertexCount (instanceCount 1, firstVertex 0, firstInstance 0)
};

static struct {
  void (*cSetPipeline)(H, H);
  void (*cSetBindGroup)(H, uint32_t, H, size_t, const uint32_t *);
  void (*cDispatch)(H, uint32_t, uint32_t, uint32_t);
  void (*cDispatchIndirect)(H, H, uint64_t);
  void (*rSetPipeline)(H, H);
  void (*rSetBindGroup)(H, uint32_t, H, size_t, const uint32_t *);
  void (*rDraw)(H, uint32_t, uint32_t, uint32_t, uint32_t);
  void (*rDrawIndexed)(H, uint32_t, uint32_t, uint32_t, int32_t, uint32_t);
  void (*rDrawIndirect)(H, H, uint64_t);
  void (*rDrawIndexedIndirect)(H, H, uint64_t);
  void (*rSetVertexBuffer)(H, uint32_t, H, uint64_t, uint64_t);
  void (*rSetIndexBuffer)(H, H, uint32_t, uint64_t, uint64_t);
  void (*rSetViewport)(H, float, float, float, float, float, float);
  void (*rSetScissorRect)(H, uint32_t, uint32_t, uint32_t, uint32_t);
  void (*rSetStencilReference)(H, uint32_t);
  void (*rBeginOcclusionQuery)(H, uint32_t);
  void (*rEndOcclusionQuery)(H);
} f;

static const char *const names[] = {
  "wgpuComputePassEncoderSetPipeline", "wgpuComputePassEncoderSetBindGroup",
  "wgpuComputePassEncoderDispatchWorkgroups", "wgpuComputePassEncoderDispatchWorkgroupsIndirect",
  "wgpuRenderPassEncoderSetPipeline", "wgpuRenderPassEncoderSetBindGroup", "wgpuRenderPassEncoderDraw",
  "wgpuRenderPassEncoderDrawIndexed", "wgpuRenderPassEncoderDrawIndirect",
  "wgpuRenderPassEncoderDrawIndexedIndirect", "wgpuRenderPassEncoderSetVertexBuffer",
  "wgpuRenderPassEncoderSetIndexBuffer", "wgpuRenderPassEncoderSetViewport",
  "wgpuRenderPassEncoderSetScissorRect",
  "wgpuRenderPassEncoderSetStencilReference", "wgpuRenderPassEncoderBeginOcclusionQuery",
  "wgpuRenderPassEncoderEndOcclusionQuery",
};

_Static_assert(sizeof f == sizeof names / sizeof names[0] * sizeof(void *), "one name per function slot");

/** Resolves the engine's functions from the already loaded library; returns how many are missing (0: ready). */
int wgpuTsReplayInit(const char *libraryPath) {
  void *lib = dlopen(libraryPath, RTLD_NOW | RTLD_NOLOAD);
  if (!lib) lib = dlopen(libraryPath, RTLD_NOW);
  if (!lib) return -1;
  void **slots = (void **)&f;
  int missing = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    slots[i] = dlsym(lib, names[i]);
    if (!slots[i]) missing++;
  }
  return missing;
}

static inline H ptr(const uint32_t *w) { return (H)(uintptr_t)((uint64_t)w[0] | (uint64_t)w[1] << 32); }
static inline uint64_t u64(const uint32_t *w) { return (uint64_t)w[0] | (uint64_t)w[1] << 32; }
static inline float f32(uint32_t w) { float v; memcpy(&v, &w, 4); return v; }

/**
 * Replays `words` u32 words of commands into a pass (render: 1, compute: 0).
 * Returns the words consumed (== words), or the negative position of an op it does not know.
 */
int wgpuTsReplay(H pass, int render, const uint32_t *s, uint32_t words) {
  uint32_t i = 0;
  while (i < words) {
    uint32_t head = s[i], op = head & 0xff, count = head >> 8;
    const uint32_t *a = s + i + 1;
    switch (op) {
      case OP_SET_PIPELINE:
        (render ? f.rSetPipeline : f.cSetPipeline)(pass, ptr(a + 1));
        i += 4;
        break;
      case OP_SET_BIND_GROUP:
        (render ? f.rSetBindGroup : f.cSetBindGroup)(pass, a[0], ptr(a + 1), count, count ? a + 3 : NULL);
        i += 4 + count + (count & 1);
        break;
      case OP_DISPATCH:
        f.cDispatch(pass, a[0], a[1], a[2]);
        i += 4;
        break;
      case OP_DISPATCH_INDIRECT:
        f.cDispatchIndirect(pass, ptr(a + 1), u64(a + 3));
        i += 6;
        break;
      case OP_DRAW1:
        f.rDraw(pass, a[0], 1, 0, 0);
        i += 2;
        break;
      case OP_DRAW:
        f.rDraw(pass, a[0], a[1], a[2], a[3]);
        i += 6;
        break;
      case OP_DRAW_INDEXED:
        f.rDrawIndexed(pass, a[0], a[1], a[2], (int32_t)a[3], a[4]);
        i += 6;
        break;
      case OP_DRAW_INDIRECT:
        f.rDrawIndirect(pass, ptr(a + 1), u64(a + 3));
        i += 6;
        break;
      case OP_DRAW_INDEXED_INDIRECT:
        f.rDrawIndexedIndirect(pass, ptr(a + 1), u64(a + 3));
        i += 6;
        break;
      case OP_SET_VERTEX_BUFFER:
        f.rSetVertexBuffer(pass, a[0], ptr(a + 1), u64(a + 3), u64(a + 5));
        i += 8;
        break;
      case OP_SET_INDEX_BUFFER:
        f.rSetIndexBuffer(pass, ptr(a + 1), a[0], u64(a + 3), u64(a + 5));
        i += 8;
        break;
      case OP_SET_VIEWPORT:
        f.rSetViewport(pass, f32(a[0]), f32(a[1]), f32(a[2]), f32(a[3]), f32(a[4]), f32(a[5]));
        i += 8;
        break;
      case OP_SET_SCISSOR:
        f.rSetScissorRect(pass, a[0], a[1], a[2], a[3]);
        i += 6;
        break;
      case OP_SET_STENCIL_REFERENCE:
        f.rSetStencilReference(pass, a[0]);
        i += 6;
        break;
      case OP_BEGIN_OCCLUSION_QUERY:
        f.rBeginOcclusionQuery(pass, a[0]);
        i += 6;
        break;
      case OP_END_OCCLUSION_QUERY:
        f.rEndOcclusionQuery(pass);
        i += 6;
        break;
      default:
        return -(int)i - 1;
    }
  }
  return i;
}
