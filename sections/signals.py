"""What sections/ tells the apps above it, which it never imports (see twinning/panels.py).

- `section_panels` is sent by the section profile page with `section` and `request`; a
  receiver answers with a twinning.panels.Panel or None.
- `office_ended` (officer, actor) is sent by sections.services.officer_end, inside its
  transaction, when an office's end date is set or changed: partnerships hands over what
  that person led once the office is over (its nightly task finds offices that end by date).
"""

from django.dispatch import Signal

section_panels = Signal()
office_ended = Signal()
