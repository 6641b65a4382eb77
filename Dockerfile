# syntax=docker/dockerfile:1
# Build stage: install Kurasi and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/kurasi
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
# The wheel carries the package data: app/pages/templates; the Noto font is a PyPI dependency.
RUN /opt/kurasi/bin/pip install . \
    && /opt/kurasi/bin/pip uninstall --yes pip setuptools wheel

# Final stage: the environment only (no pip, no build tools, no sources), as a non-root user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/kurasi/bin:$PATH \
    KURASI_ENVIRONMENT=production \
    KURASI_STORAGE_DIR=/data/storage \
    KURASI_DATABASE_URL=sqlite:////data/kurasi.db
RUN groupadd --gid 10001 kurasi \
    && useradd --create-home --uid 10001 --gid 10001 kurasi \
    && mkdir -p /data \
    && chown kurasi /data
COPY --from=build /opt/kurasi /opt/kurasi
WORKDIR /srv/kurasi
# `kurasi db upgrade` finds alembic.ini and migrations/ in its working directory.
COPY alembic.ini ./
COPY migrations ./migrations
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
# Liveness only (/healthz touches neither database nor storage); load balancers use /readyz.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2); sys.exit(0)"]
# KURASI_SECRET_KEY must be set: production refuses the development key.
# Migrations are a separate step: `kurasi db upgrade` (compose.yaml's `migrate` service).
CMD ["kurasi", "serve", "--host", "0.0.0.0", "--port", "8000"]
