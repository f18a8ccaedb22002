"""Sunshine charity (阳光慈善): the monthly close and 收支公示 of every store, the public pages and the trace of a
donation (捐赠去向)."""
