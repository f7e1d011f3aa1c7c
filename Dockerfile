# syntax=docker/dockerfile:1
# HypeHere API server image.
#   docker build -t hypehere .
#   docker run -p 8000:8000 \
#     -e HYPEHERE_DATABASE_URL=postgresql+asyncpg://user:pass@db/hypehere \
#     -e HYPEHERE_REDIS_URL=redis://redis:6379/0 \
#     -e HYPEHERE_JWT_SECRET=... hypehere
# Migrations: `docker run --rm <same env> hypehere hypehere migrate`.
# Worker:     `docker run <same env> hypehere hypehere worker`.
# All of it at once (two app processes, a worker, nginx, PostgreSQL, Redis, Meilisearch):
#             deploy/compose.yaml.

ARG PYTHON_VERSION=3.11

# --- build: install the pinned dependency set and the package into a virtualenv -------------
FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first (cached while only the source changes), pinned by constraints.txt.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir -p src/hypehere && touch src/hypehere/__init__.py \
    && pip install -c constraints.txt . \
    && pip uninstall -y hypehere
COPY src ./src
RUN pip install --no-deps -c constraints.txt . \
    && python -m compileall -q /opt/venv/lib

# --- runtime: the virtualenv, migrations and the training pipeline; no compilers, not root --
FROM python:${PYTHON_VERSION}-slim AS runtime
# libgomp1: OpenMP runtime LightGBM needs at import time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 hypehere \
    && useradd --system --uid 10001 --gid hypehere --home-dir /app --shell /usr/sbin/nologin hypehere
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY migrations ./migrations
COPY ml ./ml
COPY deploy/healthcheck.py ./healthcheck.py
RUN mkdir -p /app/var && chown -R hypehere:hypehere /app/var
# The SQLite file (embedded default), the generated JWT secret and trained ranker models.
VOLUME ["/app/var"]
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HYPEHERE_ENVIRONMENT=production \
    HYPEHERE_LOG_FORMAT=json \
    HYPEHERE_VAR_DIR=/app/var
USER hypehere:hypehere
EXPOSE 8000
# One check for every role: `serve` must answer /health/live, `worker` its metrics port when
# one is set (it serves no HTTP otherwise), one-shot commands are always healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]
CMD ["hypehere", "serve", "--host", "0.0.0.0", "--port", "8000"]
