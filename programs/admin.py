"""Admin for authoring the exercise library and curated programs."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.models import Exercise, MuscleGroup, Program, ProgramStep
from programs.phases import program_order_problem


@admin.register(MuscleGroup)
class MuscleGroupAdmin(admin.ModelAdmin):
    list_display = ("plain_name", "name", "region", "position")
    list_filter = ("region",)
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("plain_name", "name", "summary")


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "kind", "position", "tv_friendly", "hold_seconds", "reps")
    list_filter = (("owner", admin.EmptyFieldListFilter), "kind", "position", "tv_friendly")
    search_fields = ("name", "summary", "instructions")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("primary_muscles", "secondary_muscles")
    raw_id_fields = ("owner",)
    autocomplete_fields = ("easier_variant", "harder_variant")
    fieldsets = (
        (None, {"fields": ("name", "slug", "owner", "kind", "position", "tv_friendly", "summary")}),
        (_("How to do it"), {"fields": ("instructions", "cautions")}),
        (_("Muscles"), {"fields": ("primary_muscles", "secondary_muscles")}),
        (
            _("Dose"),
            {
                "fields": (
                    "hold_seconds",
                    "reps",
                    "sets",
                    "rest_seconds",
                    "per_side",
                    "seconds_per_rep",
                )
            },
        ),
        (_("Variants"), {"fields": ("easier_variant", "harder_variant")}),
    )


class ProgramStepFormSet(forms.BaseInlineFormSet):
    """Checks the warm-up-first, cool-down-last rule over the steps as they will be saved."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda data: data.get("order") or 0)
        exercises = [data["exercise"] for data in kept if data.get("exercise")]
        problem = program_order_problem([exercise.step_kind() for exercise in exercises])
        if problem:
            raise ValidationError(problem, code="phase_order")


class ProgramStepInline(admin.TabularInline):
    model = ProgramStep
    formset = ProgramStepFormSet
    fields = ("order", "exercise", "phase", "hold_seconds", "reps", "sets", "rest_seconds")
    readonly_fields = ("phase",)  # it follows from the exercise's kind
    autocomplete_fields = ("exercise",)
    ordering = ("order", "pk")
    extra = 1


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "weeks", "sessions_per_day", "position")
    list_filter = (("owner", admin.EmptyFieldListFilter),)
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("owner",)
    inlines = [ProgramStepInline]
