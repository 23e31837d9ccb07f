"""Entry module of the `dramatiq` command: `dramatiq workers.app` runs the checker workers.

Importing it builds the broker from FILINGCHECK_* settings, makes it the global broker and
declares the check_packet actor — the one module where that happens on import.
"""

import dramatiq
from dramatiq import Middleware

from pipeline.settings import get_settings
from workers.actors import declare_check_packet
from workers.broker import build_broker
from workers.recycle import RecyclePolicy, RecycleWorker
from workers.redact import mask_all_log_handlers


class MaskLogs(Middleware):
    """Masks ID and mobile numbers in every log line of a worker process."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        """Install the masking filter once the worker's logging is set up."""
        mask_all_log_handlers()


settings = get_settings()
broker = build_broker(settings)
broker.add_middleware(MaskLogs())
broker.add_middleware(RecycleWorker(RecyclePolicy.from_settings(settings)))
dramatiq.set_broker(broker)
check_packet = declare_check_packet(broker, settings)
