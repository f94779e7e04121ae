"""The pre-shift lesson (班前充电十分钟): composition, the calendar, rotation and export."""

from bot.lesson.compose import ANY_THEME, Lesson, Section, build_lesson, clean_team, lesson_options, parse_day

__all__ = ["ANY_THEME", "Lesson", "Section", "build_lesson", "clean_team", "lesson_options", "parse_day"]
