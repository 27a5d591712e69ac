from .pages import CourseIndexPage, CoursePage, ModulePage  # noqa: F401
from .progress import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt, Refresher  # noqa: F401
from .quiz import Choice, Question  # noqa: F401
from .review import ContentReview, QuestionHold  # noqa: F401
