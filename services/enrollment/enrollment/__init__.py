"""Lintas enrollment service: agreements (PKS), training packages and officer enrollment."""
