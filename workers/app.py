"""Entry module of the `dramatiq` command: `dramatiq workers.app` runs the checker workers.

Importing it builds the settings (the service's and the checker's) from FILINGCHECK_*
variables, the broker from them, makes it the global broker and declares the check_packet
actor — the one module where that happens on import.
"""

import logging

import dramatiq
from dramatiq import Middleware

from pipeline.privacy import mask_log_handlers
from pipeline.settings import Settings
from workers.actors import CountFailures, WorkerContext, declare_check_packet
from workers.broker import build_broker
from workers.maintenance import RedisMaintenance
from workers.recycle import RecyclePolicy, RecycleWorker
from workers.settings import load_service_settings

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


service_settings = load_service_settings()
context = WorkerContext(service_settings, Settings())
broker = build_broker(service_settings)
broker.add_middleware(WorkerLogging())
broker.add_middleware(RedisMaintenance(service_settings.redis_maintenance_interval_ms))
broker.add_middleware(CountFailures(context))
broker.add_middleware(RecycleWorker(RecyclePolicy.from_settings(service_settings)))
dramatiq.set_broker(broker)
check_packet = declare_check_packet(broker, context)
