# policybot: `policybot serve` (webhook mode) on $PORT. Same install and start commands
# as the README and the Procfile: `uv sync --frozen --no-dev`, then `policybot serve`.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH="/app/.venv/bin:$PATH" \
    PORT=8080

RUN pip install --no-cache-dir uv \
    && useradd --create-home --uid 10001 policybot

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
COPY facts.db ./
RUN uv sync --frozen --no-dev \
    && mkdir -p /app/state \
    && chown policybot:policybot /app/state

# The question log (STATE_DB) is the one thing the bot writes: a folder the non-root
# user owns. Mount a volume here to keep it across deploys.
ENV STATE_DB=/app/state/questions.db
USER policybot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8080'), timeout=4)"]
# Exec form: policybot is PID 1 and gets SIGTERM itself, then drains in-flight updates.
CMD ["policybot", "serve"]
