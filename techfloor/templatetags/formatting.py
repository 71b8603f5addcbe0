"""Filters every template gets without ``{% load %}`` (registered as builtins in settings)."""

from __future__ import annotations

from django import template

from techfloor import money

register = template.Library()

register.filter("vnd", money.vnd)
