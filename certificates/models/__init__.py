from certificates.models.records import (  # noqa: F401
    Certificate,
    CertificateQuerySet,
    CertificateStatus,
    Program,
    ProgramCourse,
    RevocationReason,
    SerialCounter,
)
