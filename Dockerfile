# The production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=techfloor.settings.production

RUN pip install --no-cache-dir uv==0.13.8 \
    && useradd --system --create-home --uid 1000 techfloor

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
# Catalogues and static files are built into the image; the build-only secret never runs.
RUN pybabel -q compile --domain django --directory locale \
    && pybabel -q compile --domain django --directory vendor_locale/allauth \
    && DJANGO_SECRET_KEY=build-only-secret-key-used-to-collect-static-files-and-nothing-else \
       DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --no-input -v0 \
    && mkdir -p /app/media /app/private-media \
    && chown -R techfloor /app/media /app/private-media

USER techfloor
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "techfloor.healthcheck"]
CMD ["gunicorn", "techfloor.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
