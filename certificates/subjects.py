"""What a certificate (or a bulk verification) is for: exactly one course or one program.

The check constraints `certificate_for_course_xor_program` and `bulk_verification_course_xor_program`
say it in the database; `Subject` says it once in Python. Its text form, "c12" or "p3", is the value
of the HR pages' `subjek` parameter (URLs, form posts and cached choices keep that format).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from certificates.models import Program
from courses import api as courses_api

_TEXT = re.compile(r"([cp])([0-9]{1,18})")  # ASCII digits only; 18 keep it inside a bigint


class SubjectKind(StrEnum):
    COURSE = "c"
    PROGRAM = "p"


@dataclass(frozen=True, slots=True)
class Subject:
    """One course or one program, by primary key; equal and hashable by (kind, pk).

    Made from a page or program (`Subject.of`) it carries that object, so `resolve()` costs no query.
    """

    kind: SubjectKind
    pk: int
    instance: object = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, obj) -> Subject:
        """The subject a Program or a course page stands for."""
        kind = SubjectKind.PROGRAM if isinstance(obj, Program) else SubjectKind.COURSE
        return cls(kind, obj.pk, obj)

    @classmethod
    def course(cls, pk: int) -> Subject:
        return cls(SubjectKind.COURSE, pk)

    @classmethod
    def program(cls, pk: int) -> Subject:
        return cls(SubjectKind.PROGRAM, pk)

    @classmethod
    def from_ids(cls, *, course_id: int | None = None, program_id: int | None = None) -> Subject:
        """From a row's or a task's course_id/program_id: exactly one of them must be set."""
        if (course_id is None) == (program_id is None):
            raise ValueError("A subject is exactly one course or one program: give course_id or program_id.")
        return cls.course(course_id) if course_id is not None else cls.program(program_id)

    @classmethod
    def parse(cls, value: str | None) -> Subject | None:
        """The subject named by "c<id>" or "p<id>"; None for anything else."""
        match = _TEXT.fullmatch(value or "")
        return cls(SubjectKind(match[1]), int(match[2])) if match else None

    def __str__(self) -> str:
        return f"{self.kind}{self.pk}"

    @property
    def is_program(self) -> bool:
        return self.kind is SubjectKind.PROGRAM

    @property
    def field_name(self) -> str:
        """The foreign key naming it on Certificate and BulkVerification: "course" or "program"."""
        return "program" if self.is_program else "course"

    def q(self, prefix: str = "") -> Q:
        """Rows for this subject: Q(course_id=…) or Q(program_id=…), under a relation `prefix` ("certificate__")."""
        return Q(**{f"{prefix}{self.field_name}_id": self.pk})

    def ids(self) -> dict[str, int | None]:
        """{"course_id": …, "program_id": …}, one of them None: for a row or a task's arguments."""
        return {"course_id": None if self.is_program else self.pk, "program_id": self.pk if self.is_program else None}

    def resolve(self):
        """The course page or Program, or None if it no longer exists (one query unless carried)."""
        if self.instance is None:
            found = Program.objects.filter(pk=self.pk).first() if self.is_program else courses_api.course_by_id(self.pk)
            object.__setattr__(self, "instance", found)
        return self.instance
