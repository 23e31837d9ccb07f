"""Synthetic ICP filing packets with ground truth: licenses, ID cards, forms, expected results.

All people, companies and numbers are invented (numbers carry valid check characters).
"""

from samples.generator.capture import CAPTURE_MODES, capture, capture_document
from samples.generator.committed import COMMITTED, generate_committed
from samples.generator.idcard import render_id_back, render_id_both, render_id_front
from samples.generator.identities import make_company, make_person
from samples.generator.license import random_license_layout, render_license
from samples.generator.models import (
    CaptureMode,
    Company,
    ExpectedDocument,
    ExpectedFlag,
    ExpectedPacket,
    IdCardLayout,
    LicenseLayout,
    Person,
)
from samples.generator.packets import generate_packet, generate_set
from samples.generator.pdfs import license_text_pdf, scanned_pdf
from samples.generator.scenarios import SCENARIOS
from samples.generator.verdicts import verdict_for

__all__ = [
    "CAPTURE_MODES",
    "COMMITTED",
    "SCENARIOS",
    "CaptureMode",
    "Company",
    "ExpectedDocument",
    "ExpectedFlag",
    "ExpectedPacket",
    "IdCardLayout",
    "LicenseLayout",
    "Person",
    "capture",
    "capture_document",
    "generate_committed",
    "generate_packet",
    "generate_set",
    "license_text_pdf",
    "make_company",
    "make_person",
    "random_license_layout",
    "render_id_back",
    "render_id_both",
    "render_id_front",
    "render_license",
    "scanned_pdf",
    "verdict_for",
]
