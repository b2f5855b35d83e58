"""Exports of a solved programme: iCalendar, printable grid (HTML, PDF), CSV and XLSX.

Every export reads an Instance and a Solution (checked by `common.check_solution`),
never calls the solver, writes its files atomically and gives the same bytes for the
same input.
"""
