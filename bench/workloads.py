# The benchmark workloads ported to wgpu-py (PyPI wgpu, the same wgpu-native as wgpu-ts).
# A line-by-line port of bench/workloads.mjs: same sizes (read from the JSON the runner passes),
# same shaders, same steps; keep the two in step. Started by bench/run.ts as:
#   python workloads.py <sizes-json> [workload ids...]   ("startup" alone: print @@ready at the first device)
import json
import os
import re
import sys
import time

import wgpu

U = wgpu.BufferUsage
TU = wgpu.TextureUsage
MiB = 1 << 20
FORMAT = "rgba8unorm"
HERE = os.path.dirname(os.path.abspath(__file__))


def now():
    return time.perf_counter() * 1e3  # milliseconds, as performance.now()


def emit(o):
    print("@@" + json.dumps(o), flush=True)


STREAM_WORKGROUPS = 4096  # as in workloads.mjs


def wgsl(name):
    """The shaders, taken from workloads.mjs so that both ports run the very same code."""
    src = open(os.path.join(HERE, "workloads.mjs")).read()
    m = re.search(r"const " + name + r" = /\* wgsl \*/ `(.*?)`;", src, re.S)
    return m.group(1).replace("${MATMUL_TILE}", "16").replace("${STREAM_WORKGROUPS}", str(STREAM_WORKGROUPS))


def repeat(sizes, body):
    runs = []
    for i in range(sizes["warmups"] + sizes["runs"]):
        v = body()
        if i >= sizes["warmups"]:
            runs.append(v)
    return runs


def filled(n):
    return bytearray(bytes(range(256)) * (n // 256))


def gib_per_s(n, ms):
    return n / (1 << 30) / (ms / 1e3)


_sentinels = {}


def wait_queue(device):
    """queue.on_submitted_work_done_sync(), which fails in wgpu 0.32.0 (its callback type does not
    match wgpu-native 29's); a map of a 4-byte buffer after the queued work waits for the same."""
    pair = _sentinels.get(device)
    if pair is None:
        pair = _sentinels[device] = (
            device.create_buffer(size=4, usage=U.COPY_SRC | U.COPY_DST),
            device.create_buffer(size=4, usage=U.MAP_READ | U.COPY_DST),
        )
    encoder = device.create_command_encoder()
    encoder.copy_buffer_to_buffer(pair[0], 0, pair[1], 0, 4)
    device.queue.submit([encoder.finish()])
    pair[1].map_sync(wgpu.MapMode.READ)
    pair[1].unmap()


def render_target(device, size):
    return device.create_texture(size=(size, size, 1), format=FORMAT, usage=TU.RENDER_ATTACHMENT | TU.COPY_SRC)


def begin_pass(encoder, view):
    return encoder.begin_render_pass(
        color_attachments=[{"view": view, "load_op": "clear", "store_op": "store", "clear_value": (0, 0, 0, 1)}]
    )


def render_pipeline(device, code, vs):
    module = device.create_shader_module(code=code)
    return device.create_render_pipeline(
        layout="auto",
        vertex={"module": module, "entry_point": vs},
        fragment={"module": module, "entry_point": "fs", "targets": [{"format": FORMAT}]},
    )


def encode_cost(device, s, n, unit, encode):
    """As encodeCost in workloads.mjs: to finish(), and to submit() returning; the GPU work is waited for untimed."""
    runs, with_submit = [], []
    for i in range(s["warmups"] + s["runs"]):
        t0 = now()
        commands = encode()
        t1 = now()
        device.queue.submit([commands])
        t2 = now()
        wait_queue(device)
        if i >= s["warmups"]:
            runs.append((t1 - t0) * 1e6 / n)
            with_submit.append((t2 - t0) * 1e6 / n)
    return {"unit": unit, "better": "lower", "runs": runs, "also": {"Submit": {"unit": unit, "better": "lower", "runs": with_submit}}}


def w_draw(device, s):
    pipeline = render_pipeline(device, wgsl("TRIANGLE_WGSL"), "vsPlain")
    view = render_target(device, 64).create_view()
    n = s["draws"]

    def encode():
        encoder = device.create_command_encoder()
        p = begin_pass(encoder, view)
        p.set_pipeline(pipeline)
        for _ in range(n):
            p.draw(3)
        p.end()
        return encoder.finish()

    return encode_cost(device, s, n, "ns/draw", encode)


def w_bindDraw(device, s):
    pipeline = render_pipeline(device, wgsl("TRIANGLE_WGSL"), "vsTinted")
    layout = pipeline.get_bind_group_layout(0)
    groups = []
    for i in range(2):
        buf = device.create_buffer(size=16, usage=U.UNIFORM | U.COPY_DST)
        device.queue.write_buffer(buf, 0, memoryview(bytearray(16)))
        groups.append(device.create_bind_group(layout=layout, entries=[{"binding": 0, "resource": {"buffer": buf}}]))
    g0, g1 = groups
    view = render_target(device, 64).create_view()
    n = s["draws"]

    def encode():
        encoder = device.create_command_encoder()
        p = begin_pass(encoder, view)
        p.set_pipeline(pipeline)
        for i in range(n):
            p.set_bind_group(0, g1 if i & 1 else g0)
            p.draw(3)
        p.end()
        return encoder.finish()

    return encode_cost(device, s, n, "ns/(setBindGroup+draw)", encode)


def compute_pipeline(device, code, constants=None):
    module = device.create_shader_module(code=code)
    compute = {"module": module, "entry_point": "main"}
    if constants:
        compute["constants"] = constants
    return device.create_compute_pipeline(layout="auto", compute=compute)


def w_bindDispatch(device, s):
    pipeline = compute_pipeline(device, wgsl("COMPUTE_WGSL"))
    layout = pipeline.get_bind_group_layout(0)
    g0, g1 = [
        device.create_bind_group(
            layout=layout, entries=[{"binding": 0, "resource": {"buffer": device.create_buffer(size=16, usage=U.STORAGE)}}]
        )
        for _ in range(2)
    ]
    n = s["dispatches"]

    def encode():
        encoder = device.create_command_encoder()
        p = encoder.begin_compute_pass()
        p.set_pipeline(pipeline)
        for i in range(n):
            p.set_bind_group(0, g1 if i & 1 else g0)
            p.dispatch_workgroups(1)
        p.end()
        return encoder.finish()

    return encode_cost(device, s, n, "ns/(setBindGroup+dispatch)", encode)


def w_createBuffer(device, s):
    n = s["objects"]

    def body():
        t0 = now()
        for _ in range(n):
            device.create_buffer(size=256, usage=U.UNIFORM | U.COPY_DST).destroy()
        return (now() - t0) * 1e6 / n

    return {"unit": "ns/buffer", "better": "lower", "runs": repeat(s, body)}


def w_createBindGroup(device, s):
    pipeline = compute_pipeline(device, wgsl("COMPUTE_WGSL"))
    layout = pipeline.get_bind_group_layout(0)
    buf = device.create_buffer(size=256, usage=U.STORAGE)
    entries = [{"binding": 0, "resource": {"buffer": buf}}]
    n = s["objects"]

    def body():
        t0 = now()
        for _ in range(n):
            device.create_bind_group(layout=layout, entries=entries)
        return (now() - t0) * 1e6 / n

    return {"unit": "ns/bind group", "better": "lower", "runs": repeat(s, body)}


def write_rate(device, s, chunk):
    n = s["bigBytes"]
    buf = device.create_buffer(size=n, usage=U.COPY_DST | U.STORAGE)
    data = memoryview(filled(n))

    def body():
        t0 = now()
        q = device.queue
        for off in range(0, n, chunk):
            q.write_buffer(buf, off, data, off, chunk)
        wait_queue(device)
        return gib_per_s(n, now() - t0)

    runs = repeat(s, body)
    buf.destroy()
    return {"unit": "GiB/s", "better": "higher", "runs": runs}


def w_writeBig(device, s):
    return write_rate(device, s, s["bigBytes"])


def w_writeChunks(device, s):
    return write_rate(device, s, s["chunkBytes"])


def w_readback(device, s):
    n = s["bigBytes"]
    src = device.create_buffer(size=n, usage=U.COPY_SRC | U.COPY_DST | U.STORAGE)
    device.queue.write_buffer(src, 0, memoryview(filled(n)))
    dst = device.create_buffer(size=n, usage=U.MAP_READ | U.COPY_DST)
    out = bytearray(n)
    wait_queue(device)

    def body():
        t0 = now()
        encoder = device.create_command_encoder()
        encoder.copy_buffer_to_buffer(src, 0, dst, 0, n)
        device.queue.submit([encoder.finish()])
        dst.map_sync(wgpu.MapMode.READ)
        out[:] = dst.read_mapped(copy=False)
        dst.unmap()
        return gib_per_s(n, now() - t0)

    runs = repeat(s, body)
    if out[12345] != 12345 & 0xFF:
        raise RuntimeError("readback: wrong byte")
    return {"unit": "GiB/s", "better": "higher", "runs": runs}


def w_roundTrip(device, s):
    src = device.create_buffer(size=16, usage=U.COPY_SRC | U.COPY_DST)
    device.queue.write_buffer(src, 0, memoryview(bytearray(b"\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0")))
    dst = device.create_buffer(size=16, usage=U.MAP_READ | U.COPY_DST)
    n = s["roundTrips"]
    total = [0]

    def body():
        t0 = now()
        for _ in range(n):
            encoder = device.create_command_encoder()
            encoder.copy_buffer_to_buffer(src, 0, dst, 0, 16)
            device.queue.submit([encoder.finish()])
            dst.map_sync(wgpu.MapMode.READ)
            total[0] += dst.read_mapped(copy=False).cast("I")[3]
            dst.unmap()
        return (now() - t0) * 1e3 / n

    runs = repeat(s, body)
    if total[0] != 4 * n * (s["warmups"] + s["runs"]):
        raise RuntimeError("roundTrip: wrong data")
    return {"unit": "µs", "better": "lower", "runs": runs}


def time_dispatches(device, pipeline, bind_group, reps, x, y=1):
    """Milliseconds from encoding one submit of reps dispatches of x by y workgroups to its completion."""
    t0 = now()
    encoder = device.create_command_encoder()
    p = encoder.begin_compute_pass()
    p.set_pipeline(pipeline)
    p.set_bind_group(0, bind_group)
    for _ in range(reps):
        p.dispatch_workgroups(x, y)
    p.end()
    device.queue.submit([encoder.finish()])
    wait_queue(device)
    return now() - t0


def matmul_rate(device, s, n, reps):
    import array

    pipeline = compute_pipeline(device, wgsl("MATMUL_WGSL"), {"n": n})
    a = array.array("f", [((i * 7) % 13) / 13 - 0.5 for i in range(n * n)])
    b = array.array("f", [((i * 5) % 11) / 11 - 0.5 for i in range(n * n)])
    usage = U.STORAGE | U.COPY_SRC | U.COPY_DST
    bufs = []
    for d in (a, b, None):
        buf = device.create_buffer(size=n * n * 4, usage=usage)
        if d is not None:
            device.queue.write_buffer(buf, 0, memoryview(d))
        bufs.append(buf)
    bind_group = device.create_bind_group(
        layout=pipeline.get_bind_group_layout(0),
        entries=[{"binding": i, "resource": {"buffer": buf}} for i, buf in enumerate(bufs)],
    )
    wait_queue(device)

    def body():
        return 2 * n**3 * reps / (time_dispatches(device, pipeline, bind_group, reps, n // 16, n // 16) / 1e3) / 1e9

    runs = repeat(s, body)
    got = device.queue.read_buffer(bufs[2], 4 * (n + 1), 4).cast("f")[0]
    want = sum(a[n + k] * b[k * n + 1] for k in range(n))
    if abs(got - want) > 1e-3 * max(1, abs(want)):
        raise RuntimeError(f"matmul {n}: c[1][1] = {got}, want {want}")
    return {"unit": "GFLOP/s", "better": "higher", "runs": runs}


def w_matmul(device, s):
    return matmul_rate(device, s, s["matmulN"], s["matmulReps"])


def w_matmulBig(device, s):
    return matmul_rate(device, s, s["matmulBigN"], s["matmulBigReps"])


def w_streamKernel(device, s):
    import array

    nbytes, reps = s["streamBytes"], s["streamReps"]
    pipeline = compute_pipeline(device, wgsl("STREAM_WGSL"), {})
    src = device.create_buffer(size=nbytes, usage=U.STORAGE | U.COPY_DST)
    dst = device.create_buffer(size=nbytes, usage=U.STORAGE | U.COPY_SRC)
    pattern = array.array("f", [(i % 97) - 48 for i in range(1 << 20)])
    for off in range(0, nbytes, len(pattern) * 4):
        count = min(len(pattern), (nbytes - off) // 4)
        device.queue.write_buffer(src, off, memoryview(pattern)[:count])
    bind_group = device.create_bind_group(
        layout=pipeline.get_bind_group_layout(0),
        entries=[{"binding": i, "resource": {"buffer": buf}} for i, buf in enumerate((src, dst))],
    )
    wait_queue(device)

    def body():
        return 2 * nbytes * reps / (time_dispatches(device, pipeline, bind_group, reps, STREAM_WORKGROUPS) / 1e3) / 1e9

    runs = repeat(s, body)
    got = list(device.queue.read_buffer(dst, nbytes - 16, 16).cast("f"))
    want = [2 * ((((nbytes - 16) // 4 + k) % len(pattern)) % 97 - 48) for k in range(4)]
    if got != want:
        raise RuntimeError(f"streamKernel: last vec4 = {got}, want {want}")
    return {"unit": "GB/s", "better": "higher", "runs": runs}


def w_renderLoop(device, s):
    import array

    pipeline = render_pipeline(device, wgsl("SCENE_WGSL"), "vs")
    count = s["sceneDraws"]
    offsets = array.array("f")
    for i in range(count):
        offsets.extend([((i * 37) % 200) / 100 - 1, ((i * 91) % 200) / 100 - 1, (i % 7) / 7, (i % 5) / 5])
    storage = device.create_buffer(size=len(offsets) * 4, usage=U.STORAGE | U.COPY_DST)
    device.queue.write_buffer(storage, 0, memoryview(offsets))
    bind_group = device.create_bind_group(
        layout=pipeline.get_bind_group_layout(0), entries=[{"binding": 0, "resource": {"buffer": storage}}]
    )
    view = render_target(device, 512).create_view()
    frames = s["frames"]

    def body():
        t0 = now()
        for _ in range(frames):
            encoder = device.create_command_encoder()
            p = begin_pass(encoder, view)
            p.set_pipeline(pipeline)
            p.set_bind_group(0, bind_group)
            for i in range(count):
                p.draw(3, 1, 0, i)
            p.end()
            device.queue.submit([encoder.finish()])
            wait_queue(device)
        return frames / ((now() - t0) / 1e3)

    return {"unit": "frames/s", "better": "higher", "runs": repeat(s, body)}


def m_copy(s, chunk):
    n = s["bigBytes"]
    src = memoryview(filled(n))
    dst = memoryview(bytearray(n))

    def body():
        t0 = now()
        for off in range(0, n, chunk):
            dst[off : off + chunk] = src[off : off + chunk]
        return gib_per_s(n, now() - t0)

    return {"unit": "GiB/s", "better": "higher", "runs": repeat(s, body)}


WORKLOADS = {
    "draw": w_draw,
    "bindDraw": w_bindDraw,
    "bindDispatch": w_bindDispatch,
    "createBuffer": w_createBuffer,
    "createBindGroup": w_createBindGroup,
    "writeBig": w_writeBig,
    "writeChunks": w_writeChunks,
    "readback": w_readback,
    "roundTrip": w_roundTrip,
    "matmul": w_matmul,
    "matmulBig": w_matmulBig,
    "streamKernel": w_streamKernel,
    "renderLoop": w_renderLoop,
}
MEMCPY = {"setBig": lambda s: m_copy(s, s["bigBytes"]), "setChunks": lambda s: m_copy(s, s["chunkBytes"])}


def main():
    sizes = json.loads(sys.argv[1])
    only = sys.argv[2:]
    adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
    device = adapter.request_device_sync()
    if only == ["startup"]:
        print("@@ready", flush=True)
        return
    info = adapter.info
    emit({"adapter": " ".join(str(info.get(k, "")) for k in ("vendor", "architecture", "device", "description")).strip()})
    import gc

    for wid in only or [*WORKLOADS, *MEMCPY]:
        gc.collect()  # as the JavaScript runner does between workloads
        wait_queue(device)
        if wid in MEMCPY:
            emit({"workload": wid, **MEMCPY[wid](sizes)})
            continue
        try:
            r = WORKLOADS[wid](device, sizes)
            also = r.pop("also", {})
            emit({"workload": wid, **r})
            for suffix, extra in also.items():
                emit({"workload": wid + suffix, **extra})
        except Exception as e:  # a failing workload is n/a, the others still run
            emit({"workload": wid, "na": f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}"})


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)
