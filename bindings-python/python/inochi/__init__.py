"""inochi (命, "life"): find posts that lure people into suicide, announce one,
or express a wish to die, and turn each finding into the act that protects
life: a takedown request, an emergency report, or help shown to the person.

    >>> import inochi
    >>> v = inochi.classify("一緒に死ねる人を探しています。DMください")
    >>> v.primary, v.actions
    ('inducement', ['takedown', 'report'])

The work is done by the Rust core (the `inochi` crate), with the IPADIC
dictionary embedded; this package only converts values and releases the GIL
while the core works. Errors are `InochiError` (a `ValueError`), or its
subclasses `RulePackError` and `PayloadError`.
"""

from ._inochi import (
    CATEGORIES,
    Classifier,
    EmergencyReport,
    Evidence,
    InochiError,
    Label,
    PackInfo,
    PayloadError,
    RulePackError,
    SupportReferral,
    TakedownRequest,
    Verdict,
    __version__,
    classify,
    emergency_report,
    support_referral,
    takedown_request,
)

__all__ = [
    "CATEGORIES",
    "Classifier",
    "EmergencyReport",
    "Evidence",
    "InochiError",
    "Label",
    "PackInfo",
    "PayloadError",
    "RulePackError",
    "SupportReferral",
    "TakedownRequest",
    "Verdict",
    "__version__",
    "classify",
    "emergency_report",
    "support_referral",
    "takedown_request",
]
