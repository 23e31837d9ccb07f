"""Entry module of the `dramatiq` command: `dramatiq workers.app` runs the checker workers.

Importing it builds the broker from FILINGCHECK_* settings, makes it the global broker and
declares the check_packet actor — the one module where that happens on import.
"""

import logging

import dramatiq
from dramatiq import Middleware

from pipeline.privacy import mask_log_handlers
from pipeline.settings import get_settings
from workers.actors import declare_check_packet
from workers.broker import build_broker
from workers.recycle import RecyclePolicy, RecycleWorker

PINNED_LOGGERS = ("filingcheck", "dramatiq")


class WorkerLogging(Middleware):
    """Masks ID and mobile numbers in every log line; keeps our log levels as configured."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        """Once dramatiq has set up logging: add the masking filter, pin the levels.

        Loading PaddleOCR raises the root logger's level to WARNING; pinning the levels of
        our and dramatiq's loggers keeps their INFO lines (packets checked, retries).
        """
        mask_log_handlers()
        for name in PINNED_LOGGERS:
            logging.getLogger(name).setLevel(logging.getLogger().level)


settings = get_settings()
broker = build_broker(settings)
broker.add_middleware(WorkerLogging())
broker.add_middleware(RecycleWorker(RecyclePolicy.from_settings(settings)))
dramatiq.set_broker(broker)
check_packet = declare_check_packet(broker, settings)
