import sys, tempfile, time, shutil, resource, io, hashlib
from datetime import datetime, UTC
from pathlib import Path
from urllib.parse import urlsplit, quote
sys.path.insert(0, ".")
from tests.services import RedisServer, SeaweedS3, ServiceStack, png_bytes
from minio.signer import sign_v4_s3
from minio.credentials import Credentials
from urllib3 import HTTPHeaderDict

def usage():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime

work = Path(tempfile.mkdtemp(prefix="micro-"))
r, s3 = RedisServer(work / "redis"), SeaweedS3(work / "s3")
try:
    r.start(); s3.start()
    stack = ServiceStack(work / "stack", "micro", r.url, s3)
    storage = stack.storage()
    data = png_bytes()
    n = 1000
    settings = stack.settings()
    creds = Credentials(settings.s3_access_key, settings.s3_secret_key)
    http = storage.client._http
    base = f"http://{storage.endpoint}/{storage.bucket}/"
    def raw_put(key, payload, unsigned):
        url = urlsplit(base + quote(key))
        sha = "UNSIGNED-PAYLOAD" if unsigned else hashlib.sha256(payload).hexdigest()
        date = datetime.now(UTC)
        headers = {"Host": url.netloc, "Content-Type": "image/png", "Content-Length": str(len(payload)),
                   "x-amz-content-sha256": sha, "x-amz-date": date.strftime("%Y%m%dT%H%M%SZ")}
        headers = sign_v4_s3(method="PUT", url=url, region="us-east-1", headers=headers,
                             credentials=creds, content_sha256=sha, date=date)
        resp = http.urlopen("PUT", url.geturl(), body=payload, headers=headers, preload_content=True)
        assert resp.status == 200, (resp.status, resp.data)
    import http.client as hcl
    conn = hcl.HTTPConnection(storage.endpoint.split(":")[0], int(storage.endpoint.split(":")[1]))
    def hc_put(key, payload):
        url = urlsplit(base + quote(key))
        sha = hashlib.sha256(payload).hexdigest()
        date = datetime.now(UTC)
        headers = {"Host": url.netloc, "Content-Type": "image/png", "Content-Length": str(len(payload)),
                   "x-amz-content-sha256": sha, "x-amz-date": date.strftime("%Y%m%dT%H%M%SZ")}
        headers = sign_v4_s3(method="PUT", url=url, region="us-east-1", headers=headers,
                             credentials=creds, content_sha256=sha, date=date)
        conn.request("PUT", url.path, body=payload, headers=headers)
        resp = conn.getresponse(); resp.read()
        assert resp.status == 200
    for rnd in range(2):
        for label, fn in [("minio", lambda k: storage.put(k, data, "image/png")),
                          ("raw-signed", lambda k: raw_put(k, data, False)),
                          ("httpclient", lambda k: hc_put(k, data))]:
            c0, t0 = usage(), time.perf_counter()
            for i in range(n):
                fn(f"packets/{label}{rnd}-{i}/x.png")
            c1, t1 = usage(), time.perf_counter()
            print(f"{label}: cpu {(c1-c0)*1000/n:.3f} ms/PUT, wall {(t1-t0)*1000/n:.2f} ms/PUT")
    assert storage.get("packets/httpclient1-5/x.png", 10**6) == data
    stack.close()
finally:
    s3.stop(); r.stop(); shutil.rmtree(work, ignore_errors=True)
