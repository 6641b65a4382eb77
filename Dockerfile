# Build a wheel and its dependencies in one stage; run as a non-root user in a slim one.
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KURASI_ENVIRONMENT=production \
    KURASI_STORAGE_DIR=/data/storage \
    KURASI_DATABASE_URL=sqlite:////data/kurasi.db
RUN useradd --create-home --uid 10001 kurasi && mkdir -p /data && chown kurasi /data
WORKDIR /srv/kurasi
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY alembic.ini ./
COPY migrations ./migrations
USER kurasi
EXPOSE 8000
# KURASI_SECRET_KEY must be set: production refuses the development key.
CMD ["kurasi", "serve", "--host", "0.0.0.0", "--port", "8000"]
