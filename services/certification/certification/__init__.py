"""Lintas certification service: training records, assessments and instructor certificates."""
