"""Enumerations stored as plain strings (non-native enums keep migrations honest)."""

from enum import StrEnum


class Role(StrEnum):
    msme_owner = "msme_owner"
    curator = "curator"
    admin = "admin"
    buyer = "buyer"


class Language(StrEnum):
    id = "id"
    en = "en"
    ja = "ja"


class SizeClass(StrEnum):
    micro = "micro"
    small = "small"
    medium = "medium"


class ProductStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    archived = "archived"


class Incoterm(StrEnum):
    EXW = "EXW"
    FOB = "FOB"
    CIF = "CIF"
    DAP = "DAP"
    DDP = "DDP"


class UploadStatus(StrEnum):
    pending_upload = "pending_upload"
    uploaded = "uploaded"


class DocumentStatus(StrEnum):
    pending_upload = "pending_upload"
    uploaded = "uploaded"
    verified = "verified"
    rejected = "rejected"


class ReviewDecision(StrEnum):
    approve = "approve"
    request_changes = "request_changes"
    reject = "reject"


class SupplierStatus(StrEnum):
    approved = "approved"
    changes_requested = "changes_requested"
    rejected = "rejected"


class ChecklistResult(StrEnum):
    pass_ = "pass"
    fail = "fail"
    not_applicable = "not_applicable"


class ChannelKind(StrEnum):
    showroom = "showroom"
    exhibition = "exhibition"
    online = "online"


class InquiryStatus(StrEnum):
    open = "open"
    answered = "answered"
    closed = "closed"


class MailStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"


class SubmissionMail(StrEnum):
    """How a curator hears of submissions by email: one mail each, or one a day."""

    each = "each"
    daily_digest = "daily_digest"
