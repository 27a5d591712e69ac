"""The quiz of a module page, as a mixin with override points.

In the manner of `wagtail.contrib.forms.models.FormMixin` (serve → get_form →
process_form_submission → render_landing_page): start an attempt → serve it →
get the form → process the submission → render the result. A page type that
wants another form, another template or something more on submitting overrides
one step. The work itself is done by `courses.services` (writes), read by
`courses.selectors`, and decided by `courses.policies`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from wagtail.contrib.routable_page.models import path

from courses import policies, selectors, services
from courses.forms import QuizSubmissionForm
from courses.models.progress import AttemptStatus


class QuizPageMixin:
    """A page's quiz, on three routes: `quiz_start`, `quiz_attempt` and `quiz_result`.

    For a RoutablePageMixin page with the quiz's settings (`quiz_max_attempts`, ...), a
    `course` and an `outline(request)`; `serve()` has checked the officer may open the page.
    """

    quiz_template = "courses/module_quiz.html"
    quiz_result_template = "courses/module_quiz_result.html"
    quiz_form_class = QuizSubmissionForm

    def quiz_attempt_url(self, attempt) -> str:
        return self.url + self.reverse_subpage("quiz_attempt", args=[attempt.pk])

    def quiz_result_url(self, attempt) -> str:
        return self.url + self.reverse_subpage("quiz_result", args=[attempt.pk])

    @path("kuis/", name="quiz_start")
    def quiz_start(self, request):
        """Start (or resume) the officer's attempt, then serve it."""
        if request.method != "POST":
            return redirect(self.url)
        try:
            attempt = services.quiz_attempt_start(user=request.user, module=self, outline=self.outline(request))
        except services.QuizError as error:
            messages.error(request, error.message)
            return redirect(self.url)
        return redirect(self.quiz_attempt_url(attempt))

    def get_attempt(self, request, attempt_id):
        """Only the officer's own attempts at this module exist for them."""
        attempt = selectors.attempt_for_user(user=request.user, attempt_id=attempt_id, module=self)
        if attempt is None:
            raise Http404
        return attempt

    @path("kuis/<int:attempt_id>/", name="quiz_attempt")
    def serve_quiz(self, request, attempt_id):
        """The open attempt: its form, or its submission (FormMixin.serve)."""
        attempt = self.get_attempt(request, attempt_id)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return redirect(self.quiz_result_url(attempt))
        shown = selectors.attempt_questions(attempt)
        form = self.get_quiz_form(shown, request.POST if request.method == "POST" else None)
        # Past the deadline (and its grace) the attempt is closed as expired, whatever was sent.
        overdue = policies.is_overdue(attempt)
        if (request.method == "POST" or overdue) and (overdue or form.is_valid()):
            return self.process_quiz_submission(request, attempt=attempt, form=form, shown=shown, overdue=overdue)
        return self.render_quiz(request, attempt=attempt, form=form)

    def get_quiz_form(self, shown, data=None):
        """The form of the questions the attempt shows (`selectors.attempt_questions`)."""
        return self.quiz_form_class(shown, data)

    def process_quiz_submission(self, request, *, attempt, form, shown, overdue):
        """Grade the attempt once (an overdue one expires with no answers), then show its result."""
        try:
            services.quiz_attempt_submit(
                user=request.user,
                attempt_id=attempt.pk,
                answers={} if overdue else form.answers(),
                module=self,
                shown=shown,
            )
        except services.AttemptAlreadyFinished as error:
            messages.info(request, error.message)
        except services.QuizError as error:
            messages.error(request, error.message)
            return redirect(self.url)
        return redirect(self.quiz_result_url(attempt))

    def render_quiz(self, request, *, attempt, form):
        return self.render(
            request,
            template=self.quiz_template,
            context_overrides={"attempt": attempt, "form": form, "course": self.course},
        )

    @path("kuis/<int:attempt_id>/hasil/", name="quiz_result")
    def quiz_result(self, request, attempt_id):
        """A graded attempt's result and review; an open one is served instead."""
        attempt = self.get_attempt(request, attempt_id)
        if attempt.status == AttemptStatus.IN_PROGRESS:
            return redirect(self.quiz_attempt_url(attempt))
        return self.render_quiz_result(request, attempt)

    def render_quiz_result(self, request, attempt):
        """The review as the quiz's review policy lets the officer see it (`policies.review_visibility`)."""
        outline = self.outline(request)  # built by serve() for the access check
        enrollment = outline.enrollment
        review = selectors.attempt_review(
            user=request.user, module=self, attempt=attempt, since=enrollment.renewed_at if enrollment else None
        )
        # A pass that completed the course: what it earned is the next step.
        if attempt.passed and outline.is_completed:
            review["next_steps"] = selectors.completion_next_steps(user=request.user, course=self.course)
        return self.render(
            request,
            template=self.quiz_result_template,
            context_overrides={"course": self.course, **review},
        )
