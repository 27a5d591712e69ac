from certificates.models.records import (  # noqa: F401
    Certificate,
    CertificateQuerySet,
    CertificateStatus,
    Program,
    ProgramCourse,
    RevocationReason,
    SerialCounter,
)
from certificates.models.hr import (  # noqa: F401,E402
    BulkVerification,
    ExportFormat,
    ExportJob,
    JobStatus,
    OfficerImport,
    OfficerImportStatus,
)
