import sys, tempfile, time, shutil, resource
from pathlib import Path
sys.path.insert(0, ".")
from scripts.bench_archive import write_folders
from tests.services import RedisServer, SeaweedS3, ServiceStack
from workers.intake import upload_packet, send_packets, submit_folders

def usage():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime, r.ru_stime

n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
work = Path(tempfile.mkdtemp(prefix="prof-"))
r, s3 = RedisServer(work / "redis"), SeaweedS3(work / "s3")
try:
    r.start(); s3.start()
    stack = ServiceStack(work / "stack", "prof", r.url, s3)
    storage, core, actor = stack.storage(), stack.core(), stack.actor()
    print("png bytes", len((write_folders(work / "w", 1)[0] / "license.png").read_bytes()))
    for label, conns in [("seq", 0), ("c4", 4), ("c16", 16), ("seq", 0), ("c4", 4), ("c16", 16)]:
        folders = write_folders(work / f"p{label}{time.time()}", n)
        t0 = time.perf_counter(); u0, s0 = usage()
        if conns == 0:
            ids = [upload_packet(f, storage, core) for f in folders]
            send_packets(ids, actor)
        else:
            list(submit_folders(folders, storage, core, actor, connections=conns))
        u1, s1 = usage(); wall = time.perf_counter() - t0
        print(f"{label}: {n/wall:.0f}/s user {(u1-u0)*1000/n:.2f} sys {(s1-s0)*1000/n:.2f} ms/packet")
    stack.close()
finally:
    s3.stop(); r.stop(); shutil.rmtree(work, ignore_errors=True)
