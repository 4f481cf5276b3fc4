"""Type stubs for inochi (the compiled module is inochi._inochi)."""

import os
from datetime import datetime
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Tuple, Union

__version__: str

Category = Literal["announcement", "inducement", "method", "incitement", "ideation", "none"]
Action = Literal["takedown", "report", "emergency", "support", "review"]
StrPath = Union[str, "os.PathLike[str]"]
Time = Union[str, datetime]
"""An RFC 3339 string ("2025-03-17T10:00:00+09:00") or a timezone-aware datetime."""

CATEGORIES: Tuple[Category, ...]
"""Every category, most severe first."""

class InochiError(ValueError):
    """Base class of every error raised by inochi."""

class RulePackError(InochiError):
    """A rule pack could not be read, parsed or validated; the message names the pack."""

class PayloadError(InochiError):
    """A payload could not be built; the message names the field or category at fault."""

class PackInfo:
    """Which rule pack made a verdict."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def hash(self) -> str:
        """`sha256:` and the hex digest of the pack's sources."""
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, str]: ...

class Evidence:
    """A piece of the original text that made a rule fire.

    `text[e.char_start:e.char_end] == e.text` on the classified text; the byte
    offsets are the same span in its UTF-8 encoding.
    """

    @property
    def rule(self) -> str: ...
    @property
    def concept(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def byte_start(self) -> int: ...
    @property
    def byte_end(self) -> int: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Label:
    """One category found in a post, with its score and evidence."""

    @property
    def category(self) -> Category: ...
    @property
    def score(self) -> float:
        """Confidence in 0..1, 3 decimals."""
    @property
    def evidence(self) -> List[Evidence]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Verdict:
    """The classification of one post. Immutable, hashable, picklable."""

    @property
    def primary(self) -> Category:
        """The most severe category found, "none" when nothing was."""
    @property
    def labels(self) -> List[Label]:
        """Every category found, most severe first; empty for "none"."""
    @property
    def actions(self) -> List[Action]: ...
    @property
    def pack(self) -> PackInfo: ...
    @property
    def text(self) -> Optional[str]:
        """The text this verdict was made for (None if read by from_json without it)."""
    def label(self, category: Category) -> Optional[Label]: ...
    def has(self, category: Category) -> bool: ...
    def to_json(self) -> str:
        """One line of JSON: byte for byte the verdict fields of `inochi classify`."""
    def to_dict(self) -> Dict[str, Any]: ...
    @staticmethod
    def from_json(json: str, text: Optional[str] = None) -> Verdict: ...

class Classifier:
    """Classifies posts. Immutable and thread-safe: build one and share it.

    `pack` replaces the default pack by a TOML file; `extend` extends the pack
    with TOML files, in order; `pack_toml` / `extend_toml` do the same with TOML
    text (applied after the files); `dictionary` loads IPADIC from a directory
    instead of the embedded copy. Raises RulePackError for a bad pack.
    """

    def __init__(
        self,
        pack: Optional[StrPath] = None,
        extend: Optional[Iterable[StrPath]] = None,
        *,
        pack_toml: Optional[str] = None,
        extend_toml: Optional[Iterable[str]] = None,
        dictionary: Optional[StrPath] = None,
    ) -> None: ...
    @property
    def pack(self) -> PackInfo: ...
    def classify(self, text: str) -> Verdict:
        """Classifies one post (releases the GIL while it works)."""
    def classify_batch(self, texts: Iterable[str], threads: Optional[int] = None) -> List[Verdict]:
        """Classifies many posts in parallel (GIL released; all cores unless `threads`), in order."""
    def explain(self, text: str) -> Dict[str, Any]:
        """Folded text, tokens, concepts, fired and suppressed rules, and the verdict."""

def classify(text: str) -> Verdict:
    """Classifies one post with the shared default classifier (built on first use)."""

Post = Mapping[str, Union[str, int, None]]
"""A post's metadata: url, post_id, account_id, posted_at, observed_at, service, language."""

Requester = Mapping[str, Any]
"""Who sends a payload: organisation, kind ("platform", "hotline_center", "police",
"cyber_patrol", "volunteer", "user"), contact; optionally representative, address, reference."""

class TakedownRequest:
    """A takedown request (削除依頼)."""

    @property
    def type(self) -> Literal["takedown_request"]: ...
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def category(self) -> Category: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_letter(self) -> str:
        """The formal Japanese letter (削除依頼書)."""
    def to_dsa(
        self,
        *,
        ground: Literal["incompatible_content", "illegal_content"] = "incompatible_content",
        legal_ground: Optional[str] = None,
        automated_decision: Literal["fully", "partially", "not_automated"] = "partially",
        territorial_scope: Optional[List[str]] = None,
        terms_url: Optional[str] = None,
        trusted_flagger: bool = False,
    ) -> str:
        """The EU DSA statement of reasons, as one line of JSON."""

class EmergencyReport:
    """An emergency report (自殺予告事案)."""

    @property
    def type(self) -> Literal["emergency_report"]: ...
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def urgency(self) -> Literal["immediate", "high"]: ...
    @property
    def warnings(self) -> List[str]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_police_report(self) -> str:
        """The Japanese report for the police."""
    def to_dsa_notice(self) -> str:
        """The EU DSA Art. 18 notice (English)."""

class SupportReferral:
    """Help resources and a message for the person."""

    @property
    def type(self) -> Literal["support_referral"]: ...
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def category(self) -> Literal["announcement", "ideation"]: ...
    @property
    def language(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def warnings(self) -> List[str]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_text(self) -> str:
        """The message and the resources as text, in the person's language."""

def takedown_request(
    verdict: Verdict,
    *,
    requester: Requester,
    text: Optional[str] = None,
    post: Optional[Post] = None,
    now: Optional[Time] = None,
    category: Optional[Category] = None,
    incitement_takedown: bool = False,
    requested_action: Optional[
        Literal["remove", "disable", "restrict_visibility", "account_review"]
    ] = None,
    response_days: Optional[int] = None,
    excerpt_chars: Optional[int] = None,
    terms_reference: Optional[str] = None,
) -> TakedownRequest:
    """A takedown request for `inducement`, `method` (or `incitement` with
    incitement_takedown=True). `text` defaults to the verdict's text; `post`
    needs a "url". Raises PayloadError, e.g. for an `ideation` verdict."""

def emergency_report(
    verdict: Verdict,
    *,
    requester: Requester,
    text: Optional[str] = None,
    post: Optional[Post] = None,
    now: Optional[Time] = None,
    excerpt_chars: Optional[int] = None,
) -> EmergencyReport:
    """An emergency report for `announcement`; never held back by metadata."""

def support_referral(
    verdict: Verdict,
    *,
    text: Optional[str] = None,
    post: Optional[Post] = None,
    now: Optional[Time] = None,
    locale: Optional[str] = None,
    age_group: Optional[Literal["minor", "adult", "unknown"]] = None,
    resources: Optional[StrPath] = None,
    resources_toml: Optional[str] = None,
) -> SupportReferral:
    """A support referral for `ideation` or `announcement`."""
