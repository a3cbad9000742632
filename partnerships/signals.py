"""What partnerships/ tells the apps above it, which it never imports (see twinning/panels.py).

- `partnership_panels` is sent by the partnership page with `partnership`, `access` and
  `request`; a receiver answers with a twinning.panels.Panel or None.
- `finder_panels` is sent by the partner finder with `section`, `forms` (the forms of
  twinning chosen in its filter, empty for any) and `request`; `proposal_panels` by the
  proposal page with `section`, `forms` (those ticked, or asked for in the link) and
  `request`. Receivers answer with a Panel or None, as for `partnership_panels`.
- `partnership_badges` is sent by the partnership page with `partnership` and `request`; a
  receiver answers with a Panel (its html a badge shown beside the status) or None.
- `section_panels` receivers are in sections/signals.py; partnerships answers there.
- `partnership_closing` (partnership, action, actor) is sent by the complete and end
  services, under the partnership's lock, before the change: a receiver answers with a
  list of what still stands in the way, in words (empty when nothing does); any answer
  refuses the change with those words.
- `partnership_closed` (partnership, action, actor) is sent after a partnership completes
  or ends, in the same transaction.
- `partnership_activated` (partnership, on) and `partnership_resumed` (partnership,
  suspended_on, resumed_on) are sent inside the transaction that makes the change, so what
  a receiver's service writes is committed, or rolled back, with it.
"""

from django.dispatch import Signal

partnership_panels = Signal()
partnership_badges = Signal()
finder_panels = Signal()
proposal_panels = Signal()
partnership_activated = Signal()
partnership_resumed = Signal()
partnership_closing = Signal()
partnership_closed = Signal()
