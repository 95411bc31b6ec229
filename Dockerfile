# One image for web, worker and beat (docker-compose.yml builds it once and reuses it).
FROM python:3.11-slim

# DEBUG=false: the image is for the full stack, so running it without a real SECRET_KEY fails
# loudly instead of falling back to the embedded development key.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=false

WORKDIR /app

# Requirements first, so a code change does not reinstall them. The compiled dependencies (lxml,
# psycopg, nh3, numpy) install from manylinux wheels, so the slim image needs no compiler.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN groupadd --system --gid 10001 labintel \
    && useradd --system --uid 10001 --gid labintel --home-dir /app --shell /usr/sbin/nologin labintel

COPY . .

# Static files are collected (and compressed by whitenoise) into var/static at build time. The
# key is a build-time placeholder given to this one command only: it never reaches the image's
# environment, so the running container still needs a real SECRET_KEY.
RUN SECRET_KEY=build-time-collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var \
    && chown -R labintel:labintel var

USER labintel

EXPOSE 8000

CMD ["gunicorn", "labintel.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
