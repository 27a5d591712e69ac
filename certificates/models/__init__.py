from certificates.models.records import (  # noqa: F401
    Certificate,
    CertificateQuerySet,
    CertificateStatus,
    ExpiryReminder,
    Program,
    ProgramCourse,
    RevocationReason,
    SerialCounter,
)
from certificates.models.bundles import BundleFormat, BundleStatus, CertificateBundle  # noqa: F401
from certificates.models.templates import CertificateLanguage, CertificateTemplate  # noqa: F401
