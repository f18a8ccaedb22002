"""Projects' public entry points (see projects.py, livestream.py, ledger.py)."""
from .ledger import Figures, LedgerRow, figures, ledger  # noqa: F401
from .livestream import (ImportResult, Reconciliation, SessionInput, close_session, columns_for,  # noqa: F401
                         get_session, import_orders, list_sessions, map_columns, reconciliation, record_publication,
                         record_totals, sessions_page, register_session, start_till_mode, stop_till_mode, till_mode)
from .projects import (ExpenditureInput, ProjectInput, can_manage, can_spend, category_shares,  # noqa: F401
                       create_project,
                       designate, expenditures, file_for, get_project, list_projects, money_lines_to_designate,
                       months_missing, post_update, record_advance, record_expenditure, set_category_share,
                       set_status, updates)
