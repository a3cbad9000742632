"""What sections/ tells the apps above it, which it never imports (see twinning/panels.py).

`section_panels` is sent by the section profile page with `section` and `request`; a
receiver answers with a twinning.panels.Panel or None.
"""

from django.dispatch import Signal

section_panels = Signal()
