from certificates.models.records import (  # noqa: F401
    Certificate,
    CertificateStatus,
    ExpiryReminder,
    Program,
    ProgramCourse,
    RevocationReason,
    SerialCounter,
    TrainingMode,
)
from certificates.models.bundles import BundleFormat, BundleStatus, CertificateBundle  # noqa: F401
from certificates.models.templates import CertificateTemplate  # noqa: F401
from certificates.models.signatories import OfficialIdKind, Signatory  # noqa: F401
