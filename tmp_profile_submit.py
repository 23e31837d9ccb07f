import cProfile, pstats, sys, tempfile, time, os, shutil
from pathlib import Path
sys.path.insert(0, ".")
from scripts.bench_archive import write_folders
from tests.services import RedisServer, SeaweedS3, ServiceStack
from workers.intake import upload_packet, send_packets, submit_folders

n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
work = Path(tempfile.mkdtemp(prefix="prof-"))
r, s3 = RedisServer(work / "redis"), SeaweedS3(work / "s3")
try:
    r.start(); s3.start()
    stack = ServiceStack(work / "stack", "prof", r.url, s3)
    folders = write_folders(work / "packets", n)
    storage, core, actor = stack.storage(), stack.core(), stack.actor()
    # warm
    for f in folders[:20]:
        upload_packet(f, storage, core)
    t0, c0 = time.perf_counter(), time.process_time()
    prof = cProfile.Profile()
    prof.enable()
    ids = [upload_packet(f, storage, core) for f in folders[20:]]
    for i in range(0, len(ids), 200):
        send_packets(ids[i:i+200], actor)
    prof.disable()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    k = len(ids)
    print(f"sequential: {k} packets, wall {wall:.2f}s, cpu {cpu*1000/k:.2f} ms/packet (profiled)")
    pstats.Stats(prof).sort_stats("tottime").print_stats(40)
    # unprofiled concurrent
    folders2 = write_folders(work / "packets2", n)
    import workers.intake
    t0, c0 = time.perf_counter(), time.process_time()
    out = list(submit_folders([f for f in folders2], storage, core, actor, connections=16))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"concurrent: {len(out)} packets, {len(out)/wall:.0f}/s, cpu {cpu*1000/len(out):.2f} ms/packet")
    stack.close()
finally:
    s3.stop(); r.stop(); shutil.rmtree(work, ignore_errors=True)
