"""Table models: one QAbstractTableModel per list, ``Columns(IntEnum)``, id and sort roles (``roles``).

The document lists' model is ``smartdesk.gui.documents.model`` (the only one start-up needs). The models
call services only and are tested without widgets.
"""
