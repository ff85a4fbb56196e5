"""The terminal's view of a run: what a steward needs, not the executor's bookkeeping.

Dagster's console logger with two cuts: steps skipped because an upstream step failed
("... Not executing.", one ERROR line each), and the repeated message and framework stack trace
under an expected failure (`dg.Failure`: assets/failures.py logs the message once, cleanly).
The UI's event log keeps everything.
Unexpected errors keep their stack trace.
"""

from __future__ import annotations

import logging

import dagster as dg
from dagster._utils.log import create_console_logger

SKIPPED = "Not executing."
EXPECTED_FAILURE = "dagster._core.definitions.events.Failure: "


class StewardFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.rstrip().endswith(SKIPPED):
            return False
        if EXPECTED_FAILURE in message:
            # The clean message was logged just before (assets/failures.py); keep the event's first line.
            head, _, _ = message.partition(EXPECTED_FAILURE)
            record.msg, record.args = head.rstrip(), ()
        return True


@dg.logger(
    {
        "log_level": dg.Field(str, is_required=False, default_value="INFO"),
        "name": dg.Field(str, is_required=False, default_value="dagster"),
    },
    description="Console de Dagster, sans les étapes sautées ni la pile d'appels des erreurs de source attendues.",
)
def steward_console(init_context: dg.InitLoggerContext) -> logging.Logger:
    console = create_console_logger(
        name=init_context.logger_config["name"], level=init_context.logger_config["log_level"].upper()
    )
    console.addFilter(StewardFilter())
    return console
