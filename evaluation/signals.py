"""What evaluation/ tells the apps above it (recognition), which it never imports. Each is
sent after the transaction that makes the record commits (`transaction.on_commit`), with
the record, so a receiver reads what is stored.

- `checkin_submitted` (checkin): a section's check-in was submitted.
- `evaluation_final` (evaluation): every side confirmed an evaluation (mid-term or final).
- `lesson_published` (lesson): a lesson became readable in the library.
- `story_published` (story): a completed partnership became a public story.
"""

from django.dispatch import Signal

checkin_submitted = Signal()
evaluation_final = Signal()
lesson_published = Signal()
story_published = Signal()
